/**
 * Chooses each connection's application protocol. In this revision the choice is by server port
 * (or --decode-as); the protocol dissectors that turn streams into ladders are not in yet, so the
 * ladder stays empty and the result says which protocol the port suggests.
 */
import type { AppContext, AppDissector, AppProtocol, AppResult, DataConnectionExpectation, ProtocolBy } from './types';

const PORT_PROTOCOLS: Record<number, AppProtocol> = {
  21: 'ftp', 20: 'ftp-data', 25: 'smtp', 587: 'smtp', 1025: 'smtp', 110: 'pop3', 1110: 'pop3',
  80: 'http', 8080: 'http', 8000: 'http', 3128: 'http', 443: 'tls', 465: 'tls', 995: 'tls', 993: 'tls', 8443: 'tls',
};

export interface SelectorOptions {
  decodeAs?: Map<number, AppProtocol>;
  dataExpectation?: DataConnectionExpectation | null;
  keepPayloads?: boolean;
}

export function protocolForPort(port: number): AppProtocol {
  return PORT_PROTOCOLS[port] ?? 'unknown';
}

export function createProtocolSelector(ctx: AppContext, options: SelectorOptions = {}): AppDissector & { protocol(): AppProtocol; protocolBy(): ProtocolBy } {
  const port = ctx.connection.server.port;
  const forced = options.decodeAs?.get(port);
  const protocol: AppProtocol = options.dataExpectation ? 'ftp-data' : (forced ?? protocolForPort(port));
  const by: ProtocolBy = forced ? 'user' : 'port';
  const result: AppResult = { protocol, ladder: [], diagnostics: [], credentials: [], tls: null, summary: {} };
  return {
    onData: () => undefined,
    onGap: () => undefined,
    onEnd: () => undefined,
    result: () => result,
    protocol: () => protocol,
    protocolBy: () => by,
  };
}
