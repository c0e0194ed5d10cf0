import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreGrains, finishGrains } from '../../../engine/host/grains.js';
import { osGrains, parseOsRelease } from '../../../engine/host/grains-os.js';
import { fqdnFromHosts, hostGrains, initGrain, parseGrains, pkgManager, virtualGrains } from '../../../engine/host/grains-parse.js';
import { LocalHost } from '../../../engine/host/local.js';

const fx = (n: string): string => readFileSync(new URL(`./fixtures/${n}`, import.meta.url), 'utf8');

describe('parseGrains on recorded output', () => {
  it('Debian 12 (this machine, a docker-like microVM)', () => {
    const g = parseGrains(fx('debian12.out'));
    expect(g).toMatchObject({
      os: 'Debian',
      os_family: 'Debian',
      osfullname: 'Debian',
      osrelease: '12',
      osmajorrelease: 12,
      osrelease_info: [12],
      oscodename: 'bookworm',
      osfinger: 'Debian-12',
      kernel: 'Linux',
      kernelrelease: '6.18.44-fc-v782',
      cpuarch: 'x86_64',
      osarch: 'amd64',
      num_cpus: 2,
      mem_total: 24105,
      host: 'vm',
      fqdn: 'vm',
      domain: '',
      init: 'sysvinit',
      virtual: 'container',
      virtual_subtype: 'Docker',
      pkg_manager: 'apt',
      username: 'root',
      uid: 0,
    });
    expect(g.ip4_interfaces).toEqual({ lo: ['127.0.0.1'], ifb0: [], ifb1: [], eth0: ['192.0.2.2'] });
    expect(g.ip6_interfaces).toMatchObject({ lo: ['::1'], eth0: ['fd00::2', 'fe80::fc:ff:fe00:1'] });
    expect(g.ipv4).toEqual(['127.0.0.1', '192.0.2.2']);
    expect(g.hwaddr_interfaces).toMatchObject({ eth0: '02:fc:00:00:00:01', lo: '00:00:00:00:00:00' });
  });

  it('RHEL 9 on KVM with systemd', () => {
    const g = parseGrains(fx('rhel9.out'));
    expect(g).toMatchObject({
      os: 'RedHat',
      os_family: 'RedHat',
      osfullname: 'Red Hat Enterprise Linux',
      osrelease: '9.3',
      osmajorrelease: 9,
      osrelease_info: [9, 3],
      oscodename: 'Plow',
      osfinger: 'Red Hat Enterprise Linux-9',
      osarch: 'x86_64',
      num_cpus: 4,
      mem_total: 7684,
      swap_total: 8191,
      host: 'web01',
      fqdn: 'web01.example.com',
      domain: 'example.com',
      init: 'systemd',
      virtual: 'kvm',
      pkg_manager: 'dnf',
      manufacturer: 'QEMU',
      productname: 'Standard PC (Q35 + ICH9, 2009)',
    });
    expect(g.ip4_interfaces).toEqual({ lo: ['127.0.0.1'], enp1s0: ['192.168.122.50'], virbr0: ['192.168.124.1'], veth1: [] });
    expect(g.hwaddr_interfaces).toMatchObject({ veth1: '9a:1b:2c:3d:4e:5f', enp1s0: '52:54:00:12:34:56' });
  });

  it('SLES 15 SP5 on VMware', () => {
    const g = parseGrains(fx('sles15.out'));
    expect(g).toMatchObject({
      os: 'SUSE',
      os_family: 'Suse',
      osfullname: 'SLES',
      osrelease: '15.5',
      osmajorrelease: 15,
      oscodename: 'SUSE Linux Enterprise Server 15 SP5',
      osfinger: 'SLES-15',
      init: 'systemd',
      virtual: 'VMware',
      pkg_manager: 'zypper',
      ipv6: ['2001:db8::40'],
      machine_id: '',
    });
  });
});

describe('osGrains from os-release', () => {
  it.each([
    ['ubuntu2204-os-release', { os: 'Ubuntu', os_family: 'Debian', osrelease: '22.04', osmajorrelease: 22, oscodename: 'jammy', osfinger: 'Ubuntu-22.04' }],
    ['rocky9-os-release', { os: 'Rocky', os_family: 'RedHat', osfullname: 'Rocky Linux', oscodename: 'Blue Onyx', osfinger: 'Rocky Linux-9' }],
    ['leap15-os-release', { os: 'Leap', os_family: 'Suse', osfullname: 'Leap', osrelease: '15.5' }],
    ['arch-os-release', { os: 'Arch', os_family: 'Arch', osrelease: '' }],
  ])('%s', (file, want) => {
    expect(osGrains(parseOsRelease(fx(file).split('\n')))).toMatchObject(want);
  });

  it('falls back to /etc/debian_version on testing (no VERSION_ID)', () => {
    const g = osGrains({ NAME: 'Debian GNU/Linux', ID: 'debian', VERSION_CODENAME: 'trixie' }, 'trixie/sid');
    expect(g).toMatchObject({ os: 'Debian', osrelease: 'trixie/sid', oscodename: 'trixie' });
    expect(g.osmajorrelease).toBeUndefined();
  });

  it('an unknown distribution gets its family from ID_LIKE', () => {
    expect(osGrains({ NAME: 'Frobnix', ID: 'frob', ID_LIKE: 'ubuntu debian', VERSION_ID: '3' })).toMatchObject({ os: 'Frobnix', os_family: 'Debian' });
  });
});

describe('small parsers', () => {
  it.each([
    [['yes'], 'process_api', [], 'systemd'],
    [[], 'systemd', [], 'systemd'],
    [[], 'runit', [], 'runit'],
    [[], 'init', ['yes'], 'sysvinit'],
    [[], 'bash', [], 'unknown'],
  ])('init %j %s %j → %s', (sd, comm, initd, want) => {
    expect(initGrain(sd, comm, initd)).toBe(want);
  });

  it.each([
    ['none', [], [], [], { virtual: 'physical' }],
    ['', [], ['hypervisor'], [], { virtual: 'VirtualMachine' }],
    ['', [], [], ['sys_vendor=QEMU', 'product_name=Standard PC'], { virtual: 'kvm' }],
    ['systemd-nspawn', ['systemd-nspawn'], [], [], { virtual: 'systemd-nspawn' }],
    ['lxc', [], [], [], { virtual: 'container', virtual_subtype: 'LXC' }],
    ['qemu', [], [], [], { virtual: 'qemu' }],
  ])('virtual %s', (d, c, cpu, dmi, want) => {
    expect(virtualGrains(d, c, cpu, dmi)).toEqual(want);
  });

  it('hostGrains', () => {
    expect(hostGrains('db1', 'db1.lan.example')).toEqual({ host: 'db1', nodename: 'db1', localhost: 'db1', fqdn: 'db1.lan.example', domain: 'lan.example' });
    expect(hostGrains('db1', 'hostname: Name or service not known')).toMatchObject({ fqdn: 'db1', domain: '' });
  });

  it('fqdnFromHosts: canonical name of the first line listing the host (no DNS)', () => {
    const hosts = ['# db1.bad comment', '127.0.0.1 localhost', '10.0.0.5 db1.lan.example db1 # primary', '10.0.0.6 db1.other db1'];
    expect(fqdnFromHosts('db1', hosts)).toBe('db1.lan.example');
    expect(fqdnFromHosts('db2', hosts)).toBe('db2');
    expect(fqdnFromHosts('', hosts)).toBe('');
  });

  it('pkgManager prefers the family tool', () => {
    expect(pkgManager(['yum', 'dnf'], 'RedHat')).toBe('dnf');
    expect(pkgManager(['apt-get'], 'Debian')).toBe('apt');
    expect(pkgManager([], 'Debian')).toBe('');
  });
});

describe('grains on the real host', () => {
  it('coreGrains + finishGrains: one command, id and static layers on top', async () => {
    const host = new LocalHost();
    const core = await coreGrains(host);
    expect(core.kernel).toBe('Linux');
    expect(Number(core.num_cpus)).toBeGreaterThan(0);
    const g = finishGrains(core, { id: null, fileGrains: { roles: ['web'], os: 'X' }, configGrains: { os: 'Y' } });
    expect(g.id).toBe(core.fqdn);
    expect(g.roles).toEqual(['web']);
    expect(g.os).toBe('Y');
    expect(finishGrains(core, { id: 'minion1' }).id).toBe('minion1');
  });
});
