// `--nic user`: virtio-net's backend on libslirp, the user-mode TCP/IP stack
// behind QEMU's -nic user, with QEMU's defaults (nic_spec.h): the guest's
// network 10.0.2.0/24, the gateway 10.0.2.2 (connections to it reach the
// host's 127.0.0.1), DNS at 10.0.2.3 (relayed to the host's resolver), DHCP
// leases from 10.0.2.15; and IPv6's fec0::/64 with the host at fec0::2 and
// DNS at fec0::3, announced by router advertisements (SLAAC).
//
// libslirp runs on the VMM's thread only: send() in the guest's transmit
// exit, poll() while the vcpus are out. Its clock is guest virtual time, so
// TCP's timers and slirp's own timers count the guest's time, as the
// guest's do. Host sockets that become ready while the guest runs or
// sleeps in WFI kick the vcpus out through an FdWaker, whose thread polls
// copies of the descriptors slirp asked for.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <poll.h>

#include "kvm/result.h"
#include "vmm/bus.h"
#include "vmm/fd_waker.h"
#include "vmm/nic_spec.h"
#include "vmm/virtio/net.h"

struct Slirp;

namespace vmm {

class SlirpNet : public virtio::NetBackend {
public:
    // The stack with the spec's port forwards listening; an error names
    // the forward that cannot listen.
    static kvm::Result<std::unique_ptr<SlirpNet>> create(const NicSpec& spec, LogSink log);
    ~SlirpNet() override;
    SlirpNet(const SlirpNet&) = delete;
    SlirpNet& operator=(const SlirpNet&) = delete;

    void connect(const virtio::Host& host, Receiver receiver) override;
    void send(std::span<const uint8_t> frame) override;
    void poll() override;

private:
    friend struct SlirpCallbacks;
    // A libslirp timer: slirp_handle_timer(id, cb_opaque) once guest time
    // reaches expire_ms (-1: not armed).
    struct Timer {
        int id = 0;
        void* cb_opaque = nullptr;
        int64_t expire_ms = -1;
    };

    explicit SlirpNet(LogSink log) : log_(std::move(log)) {}
    int64_t now_ns() const;
    void fire_timers();
    // slirp's poll set into fds_; the milliseconds until slirp wants a poll.
    int fill();
    void poll_sockets();
    // The current poll set to the waker: always after it kicked (it waits
    // for a new set), otherwise only when the set changed.
    void rearm(bool kicked);

    ::Slirp* slirp_ = nullptr;
    LogSink log_;
    virtio::Host host_;
    Receiver receiver_;
    std::vector<std::unique_ptr<Timer>> timers_;
    std::vector<pollfd> fds_;      // slirp's last poll set
    std::vector<pollfd> watched_;  // what the waker has
    int watched_timeout_ms_ = -1;
    // Last: its thread kicks the vcpus and stops first.
    std::unique_ptr<FdWaker> waker_;
};

}  // namespace vmm
