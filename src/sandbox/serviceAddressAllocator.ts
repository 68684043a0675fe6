// Hands out Service cluster IPs (from 10.96.0.0/12, like kubeadm's default range) and node
// ports (30000-32767). 10.96.0.1 belongs to the `kubernetes` Service, 10.96.0.10 to cluster DNS.

export class ServiceAddressAllocator {
  private nextHost = 11;
  private nextNodePort = 30000;
  private readonly usedIPs = new Set<string>(['10.96.0.1', '10.96.0.10']);
  private readonly usedNodePorts = new Set<number>();

  allocateClusterIP(): string {
    for (;;) {
      const host = this.nextHost++;
      // 10.96.0.0/12 spans 10.96.0.0 - 10.111.255.255.
      const ip = `10.${96 + Math.floor(host / 65536)}.${Math.floor(host / 256) % 256}.${host % 256}`;
      if (host % 256 === 0 || host % 256 === 255 || this.usedIPs.has(ip)) continue;
      this.usedIPs.add(ip);
      return ip;
    }
  }

  allocateNodePort(): number {
    while (this.usedNodePorts.has(this.nextNodePort)) this.nextNodePort++;
    const port = this.nextNodePort++;
    this.usedNodePorts.add(port);
    return port;
  }

  /** Records an address chosen by the client so it is never handed out again. */
  reserve(clusterIP: unknown): void {
    if (typeof clusterIP === 'string') this.usedIPs.add(clusterIP);
  }
}
