#include "vmm/slirp_net.h"

#include <arpa/inet.h>
#include <libslirp.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

#include <fmt/format.h>

namespace vmm {

namespace {

in_addr to_in_addr(uint32_t host_order) { return in_addr{htonl(host_order)}; }

in6_addr to_in6_addr(const char* text) {
    in6_addr a{};
    inet_pton(AF_INET6, text, &a);  // constants, known good
    return a;
}

// SLIRP_POLL_* against poll(2)'s events.
constexpr std::pair<int, short> kPollEvents[] = {
    {SLIRP_POLL_IN, POLLIN},   {SLIRP_POLL_OUT, POLLOUT}, {SLIRP_POLL_PRI, POLLPRI},
    {SLIRP_POLL_ERR, POLLERR}, {SLIRP_POLL_HUP, POLLHUP},
};

bool same_set(const std::vector<pollfd>& a, const std::vector<pollfd>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const pollfd& x, const pollfd& y) {
        return x.fd == y.fd && x.events == y.events;
    });
}

}  // namespace

// libslirp's callbacks; opaque is the SlirpNet.
struct SlirpCallbacks {
    static SlirpNet& net(void* opaque) { return *static_cast<SlirpNet*>(opaque); }

    static ssize_t send_packet(const void* buf, size_t len, void* opaque) {
        SlirpNet& n = net(opaque);
        if (n.receiver_) n.receiver_({static_cast<const uint8_t*>(buf), len});
        return ssize_t(len);
    }
    static void guest_error(const char* msg, void* opaque) {
        net(opaque).log_(fmt::format("slirp: guest error: {}", msg));
    }
    static int64_t clock_get_ns(void* opaque) { return net(opaque).now_ns(); }
    static void* timer_new_opaque(SlirpTimerId id, void* cb_opaque, void* opaque) {
        auto t = std::make_unique<SlirpNet::Timer>();
        t->id = id;
        t->cb_opaque = cb_opaque;
        return net(opaque).timers_.emplace_back(std::move(t)).get();
    }
    static void timer_free(void* timer, void* opaque) {
        std::erase_if(net(opaque).timers_, [timer](const auto& t) { return t.get() == timer; });
    }
    static void timer_mod(void* timer, int64_t expire_ms, void*) {
        static_cast<SlirpNet::Timer*>(timer)->expire_ms = expire_ms;
    }
    // Windows' event registration, and guestfwd's "can receive again": no
    // use here (poll sets are refilled at every poll, no guestfwd).
    static void register_poll_fd(int, void*) {}
    static void unregister_poll_fd(int, void*) {}
    static void notify(void*) {}

    static int add_poll(int fd, int events, void* opaque) {
        pollfd p{fd, 0, 0};
        for (auto [s, e] : kPollEvents)
            if (events & s) p.events |= e;
        auto& fds = net(opaque).fds_;
        fds.push_back(p);
        return int(fds.size() - 1);
    }
    static int get_revents(int idx, void* opaque) {
        const auto& fds = net(opaque).fds_;
        if (idx < 0 || size_t(idx) >= fds.size()) return 0;
        int r = 0;
        for (auto [s, e] : kPollEvents)
            if (fds[size_t(idx)].revents & e) r |= s;
        return r;
    }

    static constexpr SlirpCb kCallbacks = {
        .send_packet = send_packet,
        .guest_error = guest_error,
        .clock_get_ns = clock_get_ns,
        .timer_new = nullptr,  // timer_new_opaque instead (SlirpConfig version 4)
        .timer_free = timer_free,
        .timer_mod = timer_mod,
        .register_poll_fd = register_poll_fd,
        .unregister_poll_fd = unregister_poll_fd,
        .notify = notify,
        .init_completed = nullptr,
        .timer_new_opaque = timer_new_opaque,
    };
};

kvm::Result<std::unique_ptr<SlirpNet>> SlirpNet::create(const NicSpec& spec, LogSink log) {
    std::unique_ptr<SlirpNet> n(new SlirpNet(std::move(log)));
    SlirpConfig cfg{};
    cfg.version = 4;
    cfg.in_enabled = true;
    cfg.vnetwork = to_in_addr(kUserNetwork);
    cfg.vnetmask = to_in_addr(kUserNetmask);
    cfg.vhost = to_in_addr(kUserHost);
    cfg.in6_enabled = true;
    cfg.vprefix_addr6 = to_in6_addr(kUserPrefix6);
    cfg.vprefix_len = kUserPrefix6Len;
    cfg.vhost6 = to_in6_addr(kUserHost6);
    cfg.vnameserver6 = to_in6_addr(kUserDns6);
    cfg.vdhcp_start = to_in_addr(kUserDhcpStart);
    cfg.vnameserver = to_in_addr(kUserDns);
    n->slirp_ = slirp_new(&cfg, &SlirpCallbacks::kCallbacks, n.get());
    if (!n->slirp_) return kvm::Error{"--nic user: libslirp could not start"};
    for (const HostForward& f : spec.forwards) {
        if (slirp_add_hostfwd(n->slirp_, f.udp, to_in_addr(f.host_addr), f.host_port,
                              to_in_addr(f.guest_addr), f.guest_port) != 0)
            return kvm::Error{fmt::format("--nic hostfwd={}: cannot listen on {}:{}: {}", f.rule,
                                          inet_ntoa(to_in_addr(f.host_addr)), f.host_port,
                                          std::strerror(errno))};
    }
    return n;
}

SlirpNet::~SlirpNet() {
    waker_.reset();  // no kick after this
    if (slirp_) slirp_cleanup(slirp_);
}

void SlirpNet::connect(const virtio::Host& host, Receiver receiver) {
    host_ = host;
    receiver_ = std::move(receiver);
    waker_ = std::make_unique<FdWaker>(host_.kick);
    rearm(true);
}

int64_t SlirpNet::now_ns() const { return host_.guest_ns ? int64_t(host_.guest_ns()) : 0; }

void SlirpNet::send(std::span<const uint8_t> frame) {
    slirp_input(slirp_, frame.data(), int(frame.size()));
    rearm(false);  // the frame may have opened a socket (a guest's connect)
}

void SlirpNet::poll() {
    fire_timers();
    if (waker_ && !waker_->take_fired()) return;  // no socket ready, no timeout yet
    poll_sockets();
    rearm(true);
}

void SlirpNet::fire_timers() {
    for (;;) {
        const int64_t now_ms = now_ns() / 1'000'000;
        auto due = std::find_if(timers_.begin(), timers_.end(), [&](const auto& t) {
            return t->expire_ms >= 0 && t->expire_ms <= now_ms;
        });
        if (due == timers_.end()) return;
        Timer& t = **due;
        t.expire_ms = -1;
        // The handler may re-arm or free timers: search again after it.
        slirp_handle_timer(slirp_, SlirpTimerId(t.id), t.cb_opaque);
    }
}

int SlirpNet::fill() {
    fds_.clear();
    uint32_t timeout_ms = UINT32_MAX;
    slirp_pollfds_fill(slirp_, &timeout_ms, SlirpCallbacks::add_poll, this);
    const int64_t now_ms = now_ns() / 1'000'000;
    for (const auto& t : timers_)
        if (t->expire_ms >= 0)
            timeout_ms = uint32_t(std::clamp<int64_t>(t->expire_ms - now_ms, 0, timeout_ms));
    return timeout_ms > INT_MAX ? -1 : int(timeout_ms);
}

void SlirpNet::poll_sockets() {
    fill();
    const int n = ::poll(fds_.data(), fds_.size(), 0);
    slirp_pollfds_poll(slirp_, n < 0, SlirpCallbacks::get_revents, this);
}

void SlirpNet::rearm(bool kicked) {
    if (!waker_) return;
    const int timeout_ms = fill();
    if (!kicked && same_set(fds_, watched_) && timeout_ms == watched_timeout_ms_) return;
    watched_ = fds_;
    watched_timeout_ms_ = timeout_ms;
    waker_->watch(watched_, timeout_ms);
}

}  // namespace vmm
