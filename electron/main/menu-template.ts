/**
 * The application menu as plain data (labels, accelerators, roles and the commands they send);
 * main.ts turns it into an Electron Menu. Kept free of `electron` so it is tested without it.
 */
export type MenuCommand = 'open' | 'close' | 'save-as' | 'capture-start' | 'capture-stop' | 'about' | 'shortcuts' | `open-recent:${string}`;

export interface MenuItemSpec {
  label?: string;
  accelerator?: string;
  role?: 'quit' | 'reload' | 'toggleDevTools' | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen' | 'copy' | 'selectAll';
  command?: MenuCommand;
  type?: 'separator' | 'submenu';
  enabled?: boolean;
  submenu?: MenuItemSpec[];
}

export function menuTemplate(o: { recent: string[]; captureAvailable: boolean; platform: NodeJS.Platform }): MenuItemSpec[] {
  const mod = o.platform === 'darwin' ? 'Cmd' : 'Ctrl';
  return [
    {
      label: 'File',
      submenu: [
        { label: 'Open…', accelerator: `${mod}+O`, command: 'open' },
        { label: 'Open Recent', type: 'submenu', submenu: o.recent.length ? o.recent.slice(0, 10).map((p) => ({ label: p, command: `open-recent:${p}` as MenuCommand })) : [{ label: '(none)', enabled: false }] },
        { type: 'separator' },
        { label: 'Save As… (pcapng)', accelerator: `${mod}+Shift+S`, command: 'save-as' },
        { label: 'Close', accelerator: `${mod}+W`, command: 'close' },
        { type: 'separator' },
        { label: 'Quit', role: 'quit' },
      ],
    },
    {
      label: 'Capture',
      submenu: [
        { label: 'Start…', accelerator: `${mod}+E`, command: 'capture-start', enabled: o.captureAvailable },
        { label: 'Stop', accelerator: `${mod}+Shift+E`, command: 'capture-stop', enabled: o.captureAvailable },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    {
      label: 'Help',
      submenu: [
        { label: 'Keyboard Shortcuts', accelerator: 'F1', command: 'shortcuts' },
        { label: 'About Wirelens', command: 'about' },
      ],
    },
  ];
}

/** Files the OS or the command line asks us to open (capture files only). */
export function captureFilesIn(argv: readonly string[]): string[] {
  return argv.filter((a) => !a.startsWith('-') && /\.(pcap|pcapng|cap)(\.gz)?$/i.test(a));
}
