/**
 * The one shell script that gathers everything core grains need, in a single `run(['sh', '-c', SCRIPT])`
 * (one round trip over SSH). Each section starts with a `==name` line; parsers in grains-parse.ts read them.
 * The script is a constant: no data is ever spliced into it.
 */
export const GRAINS_SCRIPT = [
  "echo '==os-release'; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null",
  "echo '==debian_version'; cat /etc/debian_version 2>/dev/null",
  "echo '==uname'; uname -s; uname -r; uname -m; uname -v",
  "echo '==nproc'; nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null",
  "echo '==meminfo'; grep -E '^(MemTotal|SwapTotal):' /proc/meminfo 2>/dev/null",
  "echo '==addr'; ip -o addr show 2>/dev/null",
  "echo '==link'; ip -o link show 2>/dev/null",
  'echo \'==sysnet\'; for i in /sys/class/net/*; do [ -e "$i/address" ] && echo "${i##*/} $(cat "$i/address" 2>/dev/null)"; done',
  "echo '==hostname'; cat /proc/sys/kernel/hostname 2>/dev/null || hostname 2>/dev/null",
  // Not `hostname -f`: that may ask a DNS server. The canonical name comes from /etc/hosts, as glibc would find it.
  "echo '==hosts'; cat /etc/hosts 2>/dev/null",
  "echo '==comm'; cat /proc/1/comm 2>/dev/null",
  "echo '==systemd'; [ -d /run/systemd/system ] && echo yes",
  "echo '==initd'; [ -d /etc/init.d ] && echo yes; readlink /sbin/init 2>/dev/null",
  "echo '==virt'; systemd-detect-virt 2>/dev/null",
  "echo '==container'; cat /run/systemd/container 2>/dev/null; [ -f /.dockerenv ] && echo docker; [ -f /run/.containerenv ] && echo podman; { tr '\\0' '\\n' </proc/1/environ | grep '^container='; } 2>/dev/null",
  "echo '==cpuinfo'; grep -m1 -E '^model name' /proc/cpuinfo 2>/dev/null; grep -m1 -o -w hypervisor /proc/cpuinfo 2>/dev/null",
  "echo '==dmi'; for f in sys_vendor product_name; do echo \"$f=$(cat /sys/class/dmi/id/$f 2>/dev/null)\"; done",
  "echo '==pkgmgr'; for p in apt-get dnf yum zypper pacman apk; do command -v $p >/dev/null 2>&1 && echo $p; done",
  "echo '==machine-id'; cat /etc/machine-id 2>/dev/null",
  "echo '==path'; echo \"$PATH\"",
  "echo '==id'; id -u; id -un; id -g; id -gn",
  'exit 0',
].join('\n');

/** Split the script's output into sections (`==name` → lines). */
export function splitSections(out: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of out.split('\n')) {
    const h = /^==([a-z_-]+)$/.exec(line);
    if (h) {
      cur = [];
      m.set(h[1]!, cur);
    } else if (cur && line !== '') cur.push(line);
  }
  return m;
}
