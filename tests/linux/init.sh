#!/bin/busybox sh
# /init of the busybox initramfs test (tests/linux/busybox_init.sh): real
# user space on Debian's kernel. Static busybox is linked with glibc, whose
# start-up, string and memory functions use Advanced SIMD; awk computes in
# double precision (Debian's busybox awk has no libm functions). Each check compares with the value the host computes
# (seq, sha256sum, md5sum and awk give the same on any correct machine), then
# the marker line, then a forced power-off (PSCI SYSTEM_OFF) ends the VM.
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys

echo "init: $(uname -s) $(uname -r) $(uname -m), $(grep -c ^processor /proc/cpuinfo) cpu"
echo "init: $(grep -m 1 ^Features /proc/cpuinfo)"

failed=0
check() { # NAME GOT WANT
    if [ "$2" = "$3" ]; then
        echo "init: ok   $1 = $2"
    else
        echo "init: FAIL $1 = $2, want $3"
        failed=$((failed + 1))
    fi
}

check "seq 1 20000 | sha256sum" "$(seq 1 20000 | sha256sum | cut -d' ' -f1)" \
    f6351f5ead9a700e34275480b3856ea738122a7c57bdeb744a631251c069587a
check "seq 1 20000 | gzip | gunzip | md5sum" \
    "$(seq 1 20000 | gzip -c | gunzip -c | md5sum | cut -d' ' -f1)" e071f707df7bbeee2a6a1eb48011ddd0
check "awk double sums and products" \
    "$(awk 'BEGIN { s = 0; p = 1; for (i = 1; i <= 10000; i++) { s += 1 / i; p = p * 1.0001 + 1e-9 }
                   printf "%.17g %.17g", s, p }')" \
    "9.7876060360443482 2.7181631082856272"
check "awk | sort -n | md5sum" \
    "$(seq 1 997 | awk '{ print ($1 * 7919) % 1000 }' | sort -n | md5sum | cut -d' ' -f1)" a8475deb879fefebdff57227ce641f40

if [ $failed -eq 0 ]; then
    echo "init: all checks passed"
else
    echo "init: $failed checks failed"
fi
poweroff -f
