#include "vmm/record/net_journal.h"

namespace vmm::record {

void RecordingNet::connect(const virtio::Host& host, Receiver receiver) {
    net_->connect(host, [this, give = std::move(receiver)](std::span<const uint8_t> frame) {
        journal_->net_frame(frame);
        give(frame);
    });
}

}  // namespace vmm::record
