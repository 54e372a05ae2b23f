/** Link-layer type numbers (tcpdump.org/linktypes.html) and the short names capinfos prints. */
const NAMES: Record<number, string> = {
  0: 'null',
  1: 'ether',
  6: 'ieee802_5',
  9: 'ppp',
  12: 'rawip',
  14: 'rawip',
  101: 'rawip',
  105: 'ieee-802-11',
  108: 'loop',
  113: 'linux-sll',
  127: 'ieee-802-11-radiotap',
  129: 'arcnet_linux',
  228: 'rawip4',
  229: 'rawip6',
  239: 'nflog',
  258: 'pktap',
  276: 'linux-sll2',
};

export function linkTypeName(code: number): string {
  return NAMES[code] ?? `linktype-${code}`;
}
