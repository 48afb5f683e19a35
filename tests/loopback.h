// A socket bound to 127.0.0.1 on a port the kernel picks, for tests that
// need a free port (or one that is taken).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace stepvisor::test {

// The bound socket (-1 on failure) and its port in `port`.
inline int bind_loopback(int type, uint16_t& port) {
    const int s = socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, reinterpret_cast<sockaddr*>(&a), len) != 0 ||
        getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
        if (s >= 0) close(s);
        return -1;
    }
    port = ntohs(a.sin_port);
    return s;
}

}  // namespace stepvisor::test
