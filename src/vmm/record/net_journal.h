// virtio-net's backends under a journal (journal.h). Recording, the real
// network (libslirp) with every frame it gives the guest written down;
// replaying, no network at all: the guest's frames go nowhere and the
// recorded ones come back at the points where the recording took them.
#pragma once

#include <memory>

#include "vmm/record/journal.h"
#include "vmm/virtio/net.h"

namespace vmm::record {

class RecordingNet : public virtio::NetBackend {
public:
    RecordingNet(std::unique_ptr<virtio::NetBackend> net, std::shared_ptr<Journal> journal)
        : net_(std::move(net)), journal_(std::move(journal)) {
        journal_->add_net();
    }
    void connect(const virtio::Host& host, Receiver receiver) override;
    void send(std::span<const uint8_t> frame) override { net_->send(frame); }
    void poll() override { net_->poll(); }

private:
    std::unique_ptr<virtio::NetBackend> net_;
    std::shared_ptr<Journal> journal_;
};

class ReplayNet : public virtio::NetBackend {
public:
    explicit ReplayNet(std::shared_ptr<Journal> journal) : journal_(std::move(journal)) {}
    void connect(const virtio::Host&, Receiver receiver) override { receiver_ = std::move(receiver); }
    // The recording's network may have answered this frame at once.
    void send(std::span<const uint8_t>) override { journal_->net_frames(receiver_); }
    void poll() override { journal_->net_frames(receiver_); }

private:
    std::shared_ptr<Journal> journal_;
    Receiver receiver_;
};

}  // namespace vmm::record
