#!/usr/bin/env bash
# Builds the Vireo test guest from Debian packages: an uncompressed ELF kernel (vmlinux) that QEMU
# boots directly, and a busybox initramfs that loads the virtio modules, prints
# "VIREO-GUEST READY" on ttyS0 and runs the workload named on the kernel command line.
#
# Output (default ${VIREO_GUEST_DIR:-$HOME/.cache/vireo-guest}, or the first argument):
#   vmlinux             the kernel, ELF, booted through PVH
#   initramfs.cpio.gz   busybox, /init, the virtio modules, /bin/vireo-load
#   manifest            the inputs it was built from (key=value lines)
#
# Idempotent and cached: nothing is rebuilt while the kernel package version and the hash of this
# script, guest/init and guest/src/* are unchanged. Installs what it needs from Debian packages
# when run as root (QEMU 10 from bookworm-backports where that suite can be added; otherwise the
# stable QEMU). Options:
#   --check        boot the guest once under TCG and wait for its banner
#   --force        rebuild even if the cache is current
#   --no-install   never call apt-get (fail naming what is missing instead)
# Environment: VIREO_GUEST_DIR (output folder), VIREO_GUEST_QEMU=stable (do not use backports).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${VIREO_GUEST_DIR:-$HOME/.cache/vireo-guest}
CHECK=0 FORCE=0 INSTALL=1
for arg in "$@"; do
    case "$arg" in
        --check) CHECK=1 ;;
        --force) FORCE=1 ;;
        --no-install) INSTALL=0 ;;
        -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "build.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
        *) OUT=$arg ;;
    esac
done

# The modules /init loads, in this order after build.sh adds their dependencies. evdev and button
# let acpid see the ACPI power button (graceful shutdown through QMP system_powerdown).
WANTED_MODULES="virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci virtio_mmio
virtio_balloon virtio_blk failover net_failover virtio_net evdev button"

T0=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf '[guest %6ss] %s\n' "$(since "$T0")" "$*"; }
die() { echo "build.sh: $*" >&2; exit 1; }
step_start() { STEP_T=$(date +%s.%N); log "$*"; }
step_done() { log "  done in $(since "$STEP_T") s${1:+: $1}"; }

mkdir -p "$OUT"
chmod 755 "$OUT"
exec 9>"$OUT/.lock"
flock 9 # one build at a time per output folder

# ---------------------------------------------------------------------------------------------
# 1. Packages
APT_UPDATED=0
apt_update() {
    if [ "$APT_UPDATED" = 0 ]; then
        log "apt-get update"
        apt-get -o DPkg::Lock::Timeout=600 -qq update
        APT_UPDATED=1
    fi
}
apt_install() {
    [ "$INSTALL" = 1 ] || die "missing packages: $* (run as root without --no-install, or install them)"
    [ "$(id -u)" = 0 ] || die "missing packages: $* (run as root to install them)"
    apt_update
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends "$@" >/dev/null
}
codename() { . /etc/os-release && echo "${VERSION_CODENAME:-bookworm}"; }

# Adds <codename>-backports on the mirror the machine already uses (deb822 or one-line sources).
ensure_backports() {
    local code suite uri
    code=$(codename)
    suite="$code-backports"
    if grep -rqs -- "$suite" /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
        return 0
    fi
    [ "$(id -u)" = 0 ] && [ "$INSTALL" = 1 ] || return 1
    uri=$(awk -v code="$code" 'BEGIN{RS=""} /(^|\n)Types:[^\n]*deb/ && $0 ~ ("Suites:[^\n]*(^|[ \t])" code "([ \t]|\n|$)") {
              if (match($0, /URIs:[ \t]*[^ \t\n]+/)) { s=substr($0, RSTART, RLENGTH); sub(/URIs:[ \t]*/, "", s); print s; exit } }' \
              /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    if [ -z "$uri" ]; then
        uri=$(awk -v code="$code" '$1=="deb" && $3==code {print $2; exit}' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
    fi
    [ -n "$uri" ] || return 1
    log "adding $suite from $uri to the apt sources"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$uri" "$suite" >/etc/apt/sources.list.d/vireo-backports.sources
    APT_UPDATED=0
}

qemu_major() {
    command -v qemu-system-x86_64 >/dev/null || { echo 0; return; }
    qemu-system-x86_64 --version | sed -n '1s/.*version \([0-9]*\)\..*/\1/p'
}

step_start "1/7 packages"
missing=()
dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
command -v cpio >/dev/null || missing+=(cpio)
command -v xz >/dev/null || missing+=(xz-utils)
command -v zstd >/dev/null || missing+=(zstd)
command -v gcc >/dev/null || missing+=(gcc)
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
command -v qemu-img >/dev/null || missing+=(qemu-utils)
if [ "$(qemu_major)" -lt 10 ] && [ "${VIREO_GUEST_QEMU:-}" != stable ] && ensure_backports; then
    apt_update
    policy=$(apt-cache policy qemu-system-x86)
    if [[ "$policy" == *-backports* ]]; then
        # qemu-utils too: the two must be of one version.
        if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ]; then
            log "installing QEMU from $(codename)-backports"
            if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -qq install -y --no-install-recommends \
                    -t "$(codename)-backports" qemu-system-x86 qemu-utils >/dev/null; then
                missing=("${missing[@]/qemu-utils}")
            else
                log "backports install failed; falling back to the stable QEMU"
            fi
        fi
    fi
fi
command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
QEMU_VERSION=$(qemu-system-x86_64 --version | sed -n 1p)
step_done "$QEMU_VERSION"

# ---------------------------------------------------------------------------------------------
# 2. The kernel package linux-image-amd64 depends on, and the cache key
step_start "2/7 resolving the kernel package"
kernel_package() {
    local deps
    deps=$(apt-cache depends linux-image-amd64 2>/dev/null || true)
    awk '/Depends: linux-image-[0-9]/ && !found {print $2; found=1}' <<<"$deps"
}
KPKG=$(kernel_package)
if [ -z "$KPKG" ]; then
    apt_update
    KPKG=$(kernel_package)
fi
[ -n "$KPKG" ] || die "apt-cache depends linux-image-amd64 names no linux-image-<version> package"
KSHOW=$(apt-cache show "$KPKG")
KVER=$(awk '/^Version:/ && !found {print $2; found=1}' <<<"$KSHOW")
INPUTS_HASH=$( (cat "$HERE/build.sh" "$HERE/init"; for f in "$HERE"/src/*; do echo "== $(basename "$f")"; cat "$f"; done) | sha256sum | cut -c1-16)
KEY="$KPKG=$KVER/$INPUTS_HASH"
step_done "$KPKG $KVER, inputs $INPUTS_HASH"

if [ "$FORCE" = 0 ] && [ -f "$OUT/manifest" ] && [ -f "$OUT/vmlinux" ] && [ -f "$OUT/initramfs.cpio.gz" ] \
        && grep -qxF "key=$KEY" "$OUT/manifest"; then
    log "up to date in $OUT (key $KEY)"
else
    WORK="$OUT/work"
    mkdir -p "$WORK"

    # -----------------------------------------------------------------------------------------
    # 3. Download and unpack exactly that package
    step_start "3/7 apt-get download $KPKG=$KVER"
    DEB=$(ls "$WORK"/"${KPKG}_"*.deb 2>/dev/null | grep -F -- "_$(echo "$KVER" | sed 's/:/%3a/')_" | sed -n 1p || true)
    if [ -z "$DEB" ]; then
        rm -f "$WORK"/linux-image-*.deb
        (cd "$WORK" && apt-get -qq download "$KPKG=$KVER" 2>&1 | grep -v 'unsandboxed' || true)
        DEB=$(ls "$WORK"/"${KPKG}_"*.deb | sed -n 1p)
    fi
    [ -f "$DEB" ] || die "apt-get download $KPKG=$KVER produced no .deb"
    rm -rf "$WORK/kernel"
    dpkg-deb -x "$DEB" "$WORK/kernel"
    VMLINUZ=$(ls "$WORK"/kernel/boot/vmlinuz-* | sed -n 1p)
    KREL=${VMLINUZ##*/vmlinuz-}
    MODDIR="$WORK/kernel/lib/modules/$KREL"
    step_done "$(du -h "$DEB" | cut -f1) .deb, kernel release $KREL"

    # -----------------------------------------------------------------------------------------
    # 4. The uncompressed ELF vmlinux inside the bzImage: try every compression magic found
    step_start "4/7 extracting vmlinux from $(basename "$VMLINUZ")"
    rm -f "$WORK/vmlinux"
    try_magic() { # $1 name, $2 grep -P pattern, $3 decompressor
        local off
        for off in $(grep -abo -P "$2" "$VMLINUZ" 2>/dev/null | cut -d: -f1); do
            tail -c +$((off + 1)) "$VMLINUZ" | $3 >"$WORK/vmlinux.try" 2>/dev/null || true
            if [ "$(head -c 4 "$WORK/vmlinux.try" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
                mv "$WORK/vmlinux.try" "$WORK/vmlinux"
                FOUND="$1 at offset $off"
                return 0
            fi
        done
        return 1
    }
    FOUND=
    export LC_ALL=C
    try_magic xz '\xfd7zXZ\x00' 'xz -dc' || try_magic zstd '\x28\xb5\x2f\xfd' 'zstd -dcq' \
        || try_magic gzip '\x1f\x8b\x08' 'gzip -dc' || die "no xz, zstd or gzip stream in $VMLINUZ decompresses to an ELF"
    rm -f "$WORK/vmlinux.try"
    step_done "$FOUND, $(du -h "$WORK/vmlinux" | cut -f1)"

    # -----------------------------------------------------------------------------------------
    # 5. Modules and their dependency closure, in load order
    step_start "5/7 virtio modules"
    STAGE="$WORK/initramfs"
    rm -rf "$STAGE"
    mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,etc/vireo,lib/modules}
    find_module() { find "$MODDIR/kernel" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | sed -n 1p; }
    module_depends() { # prints the depends= list of module file $1
        local f=$1
        case "$f" in
            *.xz) xz -dc "$f" ;;
            *.zst) zstd -dcq "$f" ;;
            *) cat "$f" ;;
        esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' ' | tr '-' '_'
    }
    ORDER=()
    BUILTIN=()
    declare -A SEEN=()
    visit() {
        local m=${1//-/_} f d
        [ -z "${SEEN[$m]:-}" ] || return 0
        SEEN[$m]=1
        f=$(find_module "$m")
        if [ -z "$f" ]; then f=$(find_module "${m//_/-}"); fi
        if [ -z "$f" ]; then
            BUILTIN+=("$m")
            return 0
        fi
        for d in $(module_depends "$f"); do visit "$d"; done
        case "$f" in
            *.xz) xz -dc "$f" >"$STAGE/lib/modules/$m.ko" ;;
            *.zst) zstd -dcq "$f" >"$STAGE/lib/modules/$m.ko" ;;
            *) cp "$f" "$STAGE/lib/modules/$m.ko" ;;
        esac
        ORDER+=("$m")
    }
    for m in $WANTED_MODULES; do visit "$m"; done
    printf '%s\n' "${ORDER[@]}" >"$STAGE/etc/vireo/modules"
    step_done "load order: ${ORDER[*]}; built in or absent: ${BUILTIN[*]:-none}"

    # -----------------------------------------------------------------------------------------
    # 6. Workload programs
    step_start "6/7 workload programs (gcc -static -O2)"
    for src in "$HERE"/src/*.c; do
        name=$(basename "$src" .c)
        gcc -static -O2 -Wall -Wextra -pthread -o "$STAGE/bin/$name" "$src"
        strip "$STAGE/bin/$name"
    done
    step_done "$(cd "$STAGE/bin" && ls | tr '\n' ' ')"

    # -----------------------------------------------------------------------------------------
    # 7. Initramfs
    step_start "7/7 initramfs"
    BUSYBOX=/bin/busybox
    [ -x "$BUSYBOX" ] || BUSYBOX=$(command -v busybox)
    file_type=$(LC_ALL=C od -An -c -j 0 -N 4 "$BUSYBOX" | tr -d ' ')
    [ "$file_type" = 177ELF ] || die "$BUSYBOX is not an ELF binary"
    cp "$BUSYBOX" "$STAGE/bin/busybox"
    cp "$HERE/init" "$STAGE/init"
    chmod 755 "$STAGE/init" "$STAGE/bin/"*
    mknod -m 600 "$STAGE/dev/console" c 5 1 2>/dev/null || true
    mknod -m 666 "$STAGE/dev/null" c 1 3 2>/dev/null || true
    (cd "$STAGE" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -9n) >"$WORK/initramfs.cpio.gz"
    step_done "$(du -h "$WORK/initramfs.cpio.gz" | cut -f1)"

    # Publish: outputs first, manifest last (its key is what marks the cache as complete).
    mv "$WORK/vmlinux" "$OUT/vmlinux.new" && mv "$OUT/vmlinux.new" "$OUT/vmlinux"
    mv "$WORK/initramfs.cpio.gz" "$OUT/initramfs.cpio.gz.new" && mv "$OUT/initramfs.cpio.gz.new" "$OUT/initramfs.cpio.gz"
    {
        echo "# Vireo test guest, built by guest/build.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "key=$KEY"
        echo "kernel.package=$KPKG"
        echo "kernel.version=$KVER"
        echo "kernel.release=$KREL"
        echo "inputs.sha256=$INPUTS_HASH"
        echo "modules=${ORDER[*]}"
        echo "modules.builtin=${BUILTIN[*]:-}"
        echo "qemu=$QEMU_VERSION"
        echo "busybox=$("$BUSYBOX" 2>&1 | sed -n 1p)"
        echo "vmlinux.sha256=$(sha256sum "$OUT/vmlinux" | cut -d' ' -f1)"
        echo "initramfs.sha256=$(sha256sum "$OUT/initramfs.cpio.gz" | cut -d' ' -f1)"
    } >"$OUT/manifest.new"
    mv "$OUT/manifest.new" "$OUT/manifest"
    rm -rf "$WORK/kernel" "$STAGE"
    log "built into $OUT"
fi

# ---------------------------------------------------------------------------------------------
# Optional: boot it once under TCG and wait for the banner.
if [ "$CHECK" = 1 ]; then
    step_start "check: booting under TCG"
    CHECKDIR=$(mktemp -d)
    qemu-system-x86_64 -machine q35 -accel tcg -m 256 -smp 1 -nodefaults -no-user-config -display none -no-reboot \
        -kernel "$OUT/vmlinux" -initrd "$OUT/initramfs.cpio.gz" \
        -append "console=ttyS0 panic=-1 quiet vireo.workload=idle" \
        -serial "file:$CHECKDIR/console.log" -pidfile "$CHECKDIR/pid" -daemonize
    ok=0
    for _ in $(seq 1 300); do
        if grep -q "VIREO-GUEST READY" "$CHECKDIR/console.log" 2>/dev/null; then ok=1; break; fi
        sleep 0.1
    done
    kill "$(cat "$CHECKDIR/pid")" 2>/dev/null || true
    if [ "$ok" = 1 ]; then
        step_done "$(grep -m1 'VIREO-GUEST READY' "$CHECKDIR/console.log")"
        rm -rf "$CHECKDIR"
    else
        tail -5 "$CHECKDIR/console.log" >&2 || true
        rm -rf "$CHECKDIR"
        die "the guest printed no banner within 30 s"
    fi
fi
log "vmlinux and initramfs.cpio.gz ready in $OUT"
