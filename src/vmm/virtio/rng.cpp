#include "vmm/virtio/rng.h"

#include <algorithm>
#include <cerrno>
#include <sys/random.h>
#include <vector>

namespace vmm::virtio {

Rng::Rng(Source source) : source_(std::move(source)) {}

Rng::Source Rng::host_entropy() {
    return [](std::span<uint8_t> out) {
        while (!out.empty()) {
            const ssize_t n = getrandom(out.data(), out.size(), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;  // the kernel's pool cannot fail once seeded
            out = out.subspan(size_t(n));
        }
    };
}

void Rng::notify(unsigned queue) {
    std::vector<uint8_t> bytes;
    serve(queue, [&](const DescChain& chain) -> kvm::Result<uint32_t> {
        ChainWriter w(ctx().dma(), chain.writable);
        bytes.resize(size_t(std::min<uint64_t>(w.remaining(), kMaxRequest)));
        source_(bytes);
        w.write(bytes);  // the chain was checked to lie in RAM
        return w.written();
    });
}

}  // namespace vmm::virtio
