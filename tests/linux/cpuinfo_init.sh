#!/bin/busybox sh
# /init of the cpuinfo initramfs (tests/linux/cpuinfo.sh): prints the
# running kernel's /proc/cpuinfo between two marker lines, then powers off.
/bin/busybox mount -t proc proc /proc
echo "cpuinfo: begin"
/bin/busybox cat /proc/cpuinfo
echo "cpuinfo: end"
/bin/busybox poweroff -f
