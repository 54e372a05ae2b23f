import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectEngine } from './client/engine-client';

const root = createRoot(document.getElementById('root') as HTMLElement);
connectEngine().then(
  (engine) => root.render(<App engine={engine} />),
  (e: Error) => root.render(<p className="fatal">Wirelens cannot reach its engine: {e.message}. Start it with `npx wirelens serve` and open the URL it prints.</p>),
);
