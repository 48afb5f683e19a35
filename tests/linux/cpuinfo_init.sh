#!/bin/busybox sh
# /init of the CPU model test (tests/linux/cpuinfo.sh): what Debian's kernel
# made of the CPU and the firmware, one "cpuinfo: " line each, then a forced
# power-off (PSCI SYSTEM_OFF).
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys

sed 's/^/cpuinfo: /' /proc/cpuinfo
for f in /sys/devices/system/cpu/vulnerabilities/*; do
    echo "cpuinfo: $(basename "$f"): $(cat "$f")"
done
dmesg | grep -E 'psci: |SMC Calling|CPU features: detected' | sed 's/^\[[^]]*\] /cpuinfo: dmesg: /'
poweroff -f
