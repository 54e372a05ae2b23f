/** Builds the packet-details tree (only when asked for: one packet on demand, never in bulk). */
import type { Layer, LayerField } from './types';

export class TreeBuilder {
  readonly layers: Layer[] = [];
  private current: Layer | null = null;

  layer(id: string, name: string, offset: number, length: number): void {
    this.current = { id, name, offset, length, fields: [] };
    this.layers.push(this.current);
  }

  field(name: string, label: string, offset: number, length: number, children?: LayerField[]): LayerField {
    const f: LayerField = children ? { name, label, offset, length, children } : { name, label, offset, length };
    this.current?.fields.push(f);
    return f;
  }

  /** Sets the current layer's length once known (headers with options). */
  setLength(length: number): void {
    if (this.current) this.current.length = length;
  }
}
