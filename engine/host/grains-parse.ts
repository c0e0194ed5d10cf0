/**
 * Pure parsers from the grains script's sections (grains-script.ts) to Salt's core grains. Tested on recorded
 * output in tests/unit/host/fixtures/.
 */
import type { Dict } from '../types.js';
import { osGrains, parseOsRelease } from './grains-os.js';
import { splitSections } from './grains-script.js';

/** Every core grain derivable from the script output (no `id`: that comes from config). */
export function parseGrains(out: string): Dict {
  const s = splitSections(out);
  const sec = (n: string): string[] => s.get(n) ?? [];
  const os = osGrains(parseOsRelease(sec('os-release')), sec('debian_version')[0] ?? '');
  const [kernel = 'Linux', kernelrelease = '', cpuarch = '', kernelversion = ''] = sec('uname');
  const g: Dict = {
    kernel,
    kernelrelease,
    kernelversion,
    cpuarch,
    osarch: osArch(cpuarch, String(os.os_family)),
    ...os,
    num_cpus: Number(sec('nproc')[0] ?? '1') || 1,
    ...memGrains(sec('meminfo')),
    cpu_model: cpuModel(sec('cpuinfo')),
    ...hostGrains(sec('hostname')[0] ?? '', fqdnFromHosts(sec('hostname')[0] ?? '', sec('hosts'))),
    ...networkGrains(sec('addr'), sec('link'), sec('sysnet')),
    init: initGrain(sec('systemd'), sec('comm')[0] ?? '', sec('initd')),
    ...virtualGrains(sec('virt')[0] ?? '', sec('container'), sec('cpuinfo'), sec('dmi')),
    pkg_manager: pkgManager(sec('pkgmgr'), String(os.os_family)),
    ...dmiGrains(sec('dmi')),
    machine_id: sec('machine-id')[0] ?? '',
    path: sec('path')[0] ?? '',
    ...idGrains(sec('id')),
  };
  return g;
}

/** Debian names its architectures differently (x86_64 → amd64). */
export function osArch(cpuarch: string, family: string): string {
  if (family !== 'Debian') return cpuarch;
  const map: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', i686: 'i386', i386: 'i386', armv7l: 'armhf', ppc64le: 'ppc64el' };
  return map[cpuarch] ?? cpuarch;
}

/** mem_total / swap_total in MiB, as Salt reports them. */
export function memGrains(lines: string[]): Dict {
  const kb = (key: string): number => {
    const l = lines.find((x) => x.startsWith(`${key}:`));
    const m = l ? /(\d+)/.exec(l) : null;
    return m ? Number(m[1]) : 0;
  };
  return { mem_total: Math.floor(kb('MemTotal') / 1024), swap_total: Math.floor(kb('SwapTotal') / 1024) };
}

export function cpuModel(lines: string[]): string {
  const l = lines.find((x) => x.startsWith('model name'));
  return l ? l.replace(/^model name\s*:\s*/, '').trim() : '';
}

/** host (short), nodename, localhost, fqdn, domain. */
export function hostGrains(hostname: string, fqdnOut: string): Dict {
  const name = hostname.trim() || 'localhost';
  const f = fqdnOut.trim();
  const fqdn = f && !/\s/.test(f) && f.includes('.') ? f : name;
  const host = name.split('.')[0]!;
  const dot = fqdn.indexOf('.');
  return { host, nodename: name, localhost: name, fqdn, domain: dot > 0 ? fqdn.slice(dot + 1) : '' };
}

/** The canonical name (first name) of the first /etc/hosts line listing `hostname`, as `hostname -f` finds it. */
export function fqdnFromHosts(hostname: string, hosts: string[]): string {
  const h = hostname.trim();
  if (!h) return '';
  for (const raw of hosts) {
    const f = raw.replace(/#.*/, '').trim().split(/\s+/);
    if (f.length >= 2 && f.slice(1).includes(h)) return f[1]!;
  }
  return h;
}

interface Addr {
  ifname: string;
  family: 'inet' | 'inet6';
  address: string;
}

/** Lines of `ip -o addr show`: `4: eth0    inet 192.0.2.2/24 brd … scope global eth0\ …`. */
export function parseIpAddr(lines: string[]): Addr[] {
  const out: Addr[] = [];
  for (const line of lines) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+(inet6?)\s+([0-9a-fA-F:.]+)(?:\/\d+)?/.exec(line);
    if (m) out.push({ ifname: m[1]!, family: m[2] as 'inet' | 'inet6', address: m[3]! });
  }
  return out;
}

/** Lines of `ip -o link show`: interface → MAC (`link/ether xx:…`), in order. */
export function parseIpLink(lines: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of lines) {
    const r = /^\d+:\s+([^:@\s]+)(?:@[^:\s]+)?:.*?link\/\S+\s+([0-9a-f:]+)/i.exec(line);
    const name = r?.[1] ?? /^\d+:\s+([^:@\s]+)/.exec(line)?.[1];
    if (name) m.set(name, r?.[2] ?? '');
  }
  return m;
}

/** ip4_interfaces, ip6_interfaces, ip_interfaces, ipv4, ipv6, hwaddr_interfaces. */
export function networkGrains(addr: string[], link: string[], sysnet: string[]): Dict {
  const links = parseIpLink(link);
  if (links.size === 0) {
    for (const l of sysnet) {
      const [name, mac = ''] = l.split(/\s+/);
      if (name) links.set(name, mac);
    }
  }
  const addrs = parseIpAddr(addr);
  const names = [...new Set([...links.keys(), ...addrs.map((a) => a.ifname)])];
  const ip4: Record<string, string[]> = {};
  const ip6: Record<string, string[]> = {};
  const ipAll: Record<string, string[]> = {};
  const hw: Record<string, string> = {};
  for (const n of names) {
    ip4[n] = addrs.filter((a) => a.ifname === n && a.family === 'inet').map((a) => a.address);
    ip6[n] = addrs.filter((a) => a.ifname === n && a.family === 'inet6').map((a) => a.address);
    ipAll[n] = [...ip4[n]!, ...ip6[n]!];
    const mac = links.get(n);
    if (mac) hw[n] = mac;
  }
  const uniq = (xs: string[]): string[] => [...new Set(xs)].sort();
  return {
    ip4_interfaces: ip4,
    ip6_interfaces: ip6,
    ip_interfaces: ipAll,
    ipv4: uniq(addrs.filter((a) => a.family === 'inet').map((a) => a.address)),
    ipv6: uniq(addrs.filter((a) => a.family === 'inet6').map((a) => a.address)),
    hwaddr_interfaces: hw,
  };
}

/** systemd when /run/systemd/system exists; else from PID 1's name; else sysvinit when /etc/init.d exists. */
export function initGrain(systemd: string[], comm: string, initd: string[]): string {
  if (systemd.includes('yes') || comm === 'systemd') return 'systemd';
  const c = comm.trim();
  if (c === 'runit' || c === 'runsvdir') return 'runit';
  if (c === 'openrc-init') return 'openrc';
  if (c === 's6-svscan') return 's6';
  if (c === 'upstart') return 'upstart';
  const link = initd.find((x) => x !== 'yes') ?? '';
  if (link.includes('systemd')) return 'sysvinit'; // systemd installed but not running as PID 1
  if (c === 'init' || initd.includes('yes')) return 'sysvinit';
  return 'unknown';
}

/** virtual ('physical', 'kvm', 'qemu', 'container' …) and virtual_subtype for containers. */
export function virtualGrains(detect: string, container: string[], cpuinfo: string[], dmi: string[]): Dict {
  const d = detect.trim();
  const kind = (container.map((c) => c.replace(/^container=/, '').trim()).find(Boolean) ?? '') || d;
  const subtypes: Record<string, string> = { docker: 'Docker', podman: 'Podman', lxc: 'LXC', 'lxc-libvirt': 'LXC', oci: 'OCI', wsl: 'WSL', openvz: 'OpenVZ' };
  if (subtypes[kind]) return { virtual: 'container', virtual_subtype: subtypes[kind] };
  if (kind === 'systemd-nspawn') return { virtual: 'systemd-nspawn' };
  if (['kvm', 'qemu', 'xen', 'bochs', 'uml', 'oracle', 'chroot'].includes(d)) return { virtual: d };
  if (d.includes('vmware')) return { virtual: 'VMware' };
  if (d.includes('microsoft')) return { virtual: 'VirtualPC' };
  if (d && d !== 'none') return { virtual: d };
  const dm = Object.fromEntries(dmi.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1)]));
  const prod = `${dm.sys_vendor ?? ''} ${dm.product_name ?? ''}`;
  if (/KVM|QEMU/i.test(prod)) return { virtual: 'kvm' };
  if (/VMware/i.test(prod)) return { virtual: 'VMware' };
  if (/VirtualBox/i.test(prod)) return { virtual: 'VirtualBox' };
  if (cpuinfo.includes('hypervisor')) return { virtual: 'VirtualMachine' };
  return { virtual: 'physical' };
}

/** apt / dnf / yum / zypper / pacman / apk: the family's own first, else the first found. */
export function pkgManager(found: string[], family: string): string {
  const pref: Record<string, string[]> = {
    Debian: ['apt-get'],
    RedHat: ['dnf', 'yum'],
    Suse: ['zypper'],
    Arch: ['pacman'],
    Alpine: ['apk'],
  };
  const hit = (pref[family] ?? []).find((p) => found.includes(p)) ?? found[0];
  if (!hit) return '';
  return hit === 'apt-get' ? 'apt' : hit;
}

/** manufacturer / productname from /sys/class/dmi (empty on machines without DMI). */
export function dmiGrains(lines: string[]): Dict {
  const dm = Object.fromEntries(lines.map((l) => [l.split('=')[0], l.slice(l.indexOf('=') + 1).trim()]));
  return { manufacturer: dm.sys_vendor ?? '', productname: dm.product_name ?? '' };
}

function idGrains(lines: string[]): Dict {
  if (lines.length < 4) return {};
  return { uid: Number(lines[0]), username: lines[1], gid: Number(lines[2]), groupname: lines[3] };
}
