import type { Diagnostic } from '../model/diagnostic';

/** TCP flag bits as in the header's flags byte (plus NS/AE in bit 8). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
export const TCP_AE = 0x100;

export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  /** SACK blocks as [left, right) absolute sequence numbers. */
  sack?: Array<[number, number]>;
  timestamp?: { value: number; echo: number };
  /** Kinds of options present, in order (for display). */
  kinds: number[];
}

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** Flags: low 8 bits of byte 13 plus TCP_AE (bit 8) when set. */
  flags: number;
  window: number;
  headerLength: number;
  urgentPointer: number;
  options: TcpOptions;
  /** Offset of the TCP payload within the decoded packet's `data` (the frame or reassembled datagram). */
  payloadOffset: number;
  /** Payload bytes present in the capture (may be less than the IP length says when snaplen cut it). */
  payloadLength: number;
  /** Payload length the IP header claims (tshark's tcp.len). */
  claimedPayloadLength: number;
}

export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  length: number;
  payloadOffset: number;
  payloadLength: number;
}

/** A field in the packet-details tree, with the bytes it covers in the frame. */
export interface LayerField {
  name: string; // dotted id, e.g. "tcp.srcport"
  label: string; // "Source Port: 54321"
  offset: number;
  length: number;
  children?: LayerField[];
}

export interface Layer {
  name: string; // "Ethernet II", "Internet Protocol Version 4", ...
  id: string; // "eth", "ip", "ipv6", "tcp", ...
  offset: number;
  length: number;
  fields: LayerField[];
}

export interface Ipv4Fragment {
  id: number;
  /** Fragment offset in bytes. */
  offset: number;
  moreFragments: boolean;
  protocol: number;
  /** Offset and length of this fragment's payload within `data`. */
  payloadOffset: number;
  payloadLength: number;
}

export interface DecodedPacket {
  linkType: number;
  /** Name of the link layer, e.g. "eth", "sll", "sll2", "null", "raw". */
  link: string;
  vlan?: number[];
  /** 'ipv4' | 'ipv6' | 'arp' | other ether type names. Undefined when the link could not be decoded. */
  network?: string;
  ipVersion?: 4 | 6;
  src?: string;
  dst?: string;
  /** IP protocol / IPv6 next header of the transport. */
  ipProto?: number;
  ttl?: number;
  ipId?: number;
  /** Set when this packet is an IPv4 fragment; transport is then decoded only after reassembly. */
  fragment?: Ipv4Fragment;
  tcp?: TcpHeader;
  udp?: UdpHeader;
  /** Column "Protocol" at this layer: "TCP", "UDP", "ARP", "IPv4", "IPv6", "ICMP", "ICMPv6", "Ethernet", ... */
  protocol: string;
  /** Wireshark-style info for non-TCP packets (TCP info needs connection state; see formatTcpInfo). */
  info: string;
  /** The bytes the transport offsets refer to (the frame, or a reassembled IPv4 datagram). */
  data: Uint8Array;
  /** Present only when decoded with { tree: true }. */
  layers?: Layer[];
  diagnostics: Diagnostic[];
}

export interface DecodeOptions {
  /** Build the packet-details tree (slower; used for one packet on demand). */
  tree?: boolean;
}
