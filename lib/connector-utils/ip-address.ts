/** IpAddress: one address of a server. */

/** Options of `new IpAddress(...)`. */
export interface IpAddressOptions {
  ipAddress?: string | null;
  networkId?: string | null;
  networkName?: string | null;
  description?: string | null;
}

/** Serialized address; each part only when given (network only when both id and name are). */
export interface SerializedIpAddress {
  ip_address?: string;
  network?: { id: string; name: string };
  description?: string;
}

/** An IP address with its network, serialized with only the parts that were given. */
export class IpAddress {
  readonly ipAddress: string | null;
  readonly networkId: string | null;
  readonly networkName: string | null;
  readonly description: string | null;

  constructor(options: IpAddressOptions = {}) {
    this.ipAddress = options.ipAddress ?? null;
    this.networkId = options.networkId ?? null;
    this.networkName = options.networkName ?? null;
    this.description = options.description ?? null;
  }

  /** `{ip_address?, network?: {id, name}, description?}`; empty strings are kept. */
  serialize(): SerializedIpAddress {
    const out: SerializedIpAddress = {};
    if (this.ipAddress !== null) out.ip_address = this.ipAddress;
    if (this.networkId !== null && this.networkName !== null) {
      out.network = { id: this.networkId, name: this.networkName };
    }
    if (this.description !== null) out.description = this.description;
    return out;
  }
}
