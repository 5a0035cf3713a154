import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SaxesParser } from 'saxes';
import { normalizeMac } from '../../../contracts/devices.js';
import { AppError } from '../../platform/errors.js';

/** One host of an nmap XML report (`nmap -oX`) that was up. */
export interface ScannedHost {
  ip: string | null;
  mac: string | null;
  /** The vendor nmap printed for the MAC (its own table), kept as a fallback. */
  nmapVendor: string | null;
  hostname: string | null;
  /** "port/name product version" for each open port. */
  services: string[];
  /** The version a web or streaming service reported: cameras, recorders, panels and switches show their firmware there. */
  firmware: string | null;
}

export interface ScanReport {
  args: string;
  /** When the scan finished (or started), from the report itself. */
  scannedAt: Date;
  hosts: ScannedHost[];
}

/**
 * Reads an nmap XML report with a streaming XML parser (saxes). Only hosts with status "up" are
 * kept; a report without the nmaprun root element is refused with a message naming the line.
 */
export function parseNmapXml(xml: string): ScanReport {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const hosts: ScannedHost[] = [];
  let args = '';
  let start: number | null = null;
  let finished: number | null = null;
  let sawRoot = false;
  let host: (ScannedHost & { up: boolean }) | null = null;
  let port: { id: string; open: boolean; service: string } | null = null;
  parser.on('opentag', (tag) => {
    const a = tag.attributes as Record<string, string>;
    switch (tag.name) {
      case 'nmaprun':
        sawRoot = true;
        args = a.args ?? '';
        start = a.start ? Number(a.start) : null;
        break;
      case 'host':
        host = { ip: null, mac: null, nmapVendor: null, hostname: null, services: [], firmware: null, up: false };
        break;
      case 'status':
        if (host) host.up = a.state === 'up';
        break;
      case 'address':
        if (!host) break;
        if (a.addrtype === 'ipv4') host.ip = a.addr;
        else if (a.addrtype === 'mac') {
          host.mac = normalizeMac(a.addr);
          host.nmapVendor = a.vendor ?? null;
        }
        break;
      case 'hostname':
        if (host && !host.hostname) host.hostname = a.name ?? null;
        break;
      case 'port':
        port = { id: `${a.portid}/${a.protocol ?? 'tcp'}`, open: false, service: '' };
        break;
      case 'state':
        if (port) port.open = a.state === 'open';
        break;
      case 'service':
        if (port && host) {
          port.service = [a.name, a.product, a.version].filter(Boolean).join(' ');
          // Only the device's own web or RTSP server speaks for its firmware; an SSH or database
          // version is the version of that protocol or program, not of the device.
          if (port.open && a.version && !host.firmware && /^(https?|http-alt|https-alt|rtsp)$/.test(a.name ?? '')) host.firmware = a.version;
        }
        break;
      case 'finished':
        finished = a.time ? Number(a.time) : null;
        break;
    }
  });
  parser.on('closetag', (tag) => {
    if (tag.name === 'port' && port && host) {
      if (port.open) host.services.push(`${port.id} ${port.service}`.trim());
      port = null;
    } else if (tag.name === 'host' && host) {
      const { up, ...rest } = host;
      if (up && (rest.ip || rest.mac)) hosts.push(rest);
      host = null;
    }
  });
  try {
    parser.write(xml).close();
  } catch (err) {
    throw new AppError(400, 'invalid_scan', `The scan is not valid XML: ${(err as Error).message}`, [{ field: 'xml', line: parser.line, message: (err as Error).message }]);
  }
  if (!sawRoot) throw new AppError(400, 'invalid_scan', 'This is not an nmap XML report (no <nmaprun> element): export the scan with nmap -oX', [{ field: 'xml', message: 'no nmaprun element' }]);
  const time = finished ?? start;
  return { args, scannedAt: time ? new Date(time * 1000) : new Date(), hosts };
}

let ouiTable: Record<string, string> | undefined;

/**
 * The vendor that registered a MAC address's prefix with the IEEE, from the `oui-data` package
 * (the IEEE registry as JSON, republished as the registry changes). Loaded on first use.
 */
export function vendorOfMac(mac: string | null | undefined): string | null {
  if (!mac) return null;
  if (!ouiTable) {
    const require = createRequire(import.meta.url);
    ouiTable = JSON.parse(readFileSync(require.resolve('oui-data'), 'utf8')) as Record<string, string>;
  }
  const hex = mac.replace(/[^0-9a-f]/gi, '').toUpperCase();
  for (const len of [9, 7, 6]) {
    const entry = ouiTable[hex.slice(0, len)];
    if (entry) return entry.split('\n')[0].trim();
  }
  return null;
}
