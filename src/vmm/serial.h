// The host end of the PL011: where guest output goes and host input comes
// from (--serial stdio|tcp:PORT|none), and the bus device that feeds the
// UART's receive FIFO from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kvm/result.h"
#include "vmm/bus.h"
#include "vmm/input_waker.h"
#include "vmm/pl011.h"

namespace vmm {

class SerialBackend {
public:
    virtual ~SerialBackend() = default;
    virtual void write(uint8_t byte) = 0;
    // Up to max bytes of input that are there now; never waits.
    virtual size_t read(uint8_t* buf, size_t max) = 0;
    // A descriptor that polls readable when input waits, or -1.
    virtual int input_fd() const { return -1; }
    // No input will come any more (end of file, the client went).
    virtual bool input_ended() const { return true; }
    // The person at the console asked stepvisor to quit (Ctrl-A x).
    virtual bool quit_requested() const { return false; }
    // The guest reads the UART and may wait for an answer to a prompt that
    // has no newline: output held back goes out now.
    virtual void flush() {}
};

struct SerialSpec {
    enum class Kind { Stdio, Tcp, None } kind = Kind::Stdio;
    uint16_t port = 0;  // Tcp: 0 lets the host pick one (the line says which)
};

// "stdio", "none" or "tcp:PORT" (PORT 0..65535); errors name the text.
kvm::Result<SerialSpec> parse_serial_spec(std::string_view text);

// Stdio: stdout, and stdin. On a terminal, stdin is raw (Ctrl-C is the
// guest's) with the console escapes (console_escapes.h) until the backend
// goes, the process exits or a signal ends it; output to a terminal is
// written as it comes, to a pipe a line at a time. Tcp:
// listens on 127.0.0.1:PORT, says so through announce, and waits for one
// client. None: output dropped, no input.
kvm::Result<std::shared_ptr<SerialBackend>> open_serial(const SerialSpec& spec,
                                                        const LogSink& announce);

// stdout, as Stdio writes it, and no input: a replay's console.
std::shared_ptr<SerialBackend> stdout_serial();

// The PL011 on the bus: before each guest read, and when the InputWaker
// kicked the vcpu out, reads what input the backend has into a host queue
// and moves as much as the receive FIFO takes into the UART. The queue is
// the back-pressure: once it holds kHostQueue bytes nothing more is read, so
// input waits in the host (the terminal, the pipe, the socket) until the
// guest reads; it is bounded but larger than the FIFO so that the console's
// escapes (Ctrl-A x) still act while the guest reads nothing.
class SerialPort : public Device {
public:
    SerialPort(Pl011& uart, std::shared_ptr<SerialBackend> backend)
        : uart_(uart), backend_(std::move(backend)) {}
    std::string_view name() const override { return uart_.name(); }
    void access(Direction dir, uint64_t offset, std::span<uint8_t> data) override;
    static constexpr size_t kHostQueue = 4096;
    // Moves waiting input into the queue and the receive FIFO; once the host
    // side is drained (the queue still has room), acks the waker. After a
    // quit escape, kicks the vcpus instead, so the loop sees it at once.
    void pump();
    void set_waker(InputWaker* waker) { waker_ = waker; }
    // Record and replay (record/journal.h): the backend is read only
    // through take_input, at the points the journal chooses, and what it
    // gave goes in through inject; a guest read moves only what is queued.
    void set_gated(bool gated) { gated_ = gated; }
    // Reads what the backend has now, as much as the queue has room for;
    // true when the backend has nothing more (then the waker is acked).
    bool take_input(std::vector<uint8_t>& out);
    // Bytes into the queue, and as many as fit into the receive FIFO.
    void inject(std::span<const uint8_t> bytes);
    bool quit_requested() const { return backend_ && backend_->quit_requested(); }

private:
    // Reads the backend until it has nothing more or the queue is full;
    // true when it has nothing more.
    bool fill_queue();
    // Queued bytes into the receive FIFO while it has room.
    void feed_fifo();

    Pl011& uart_;
    std::shared_ptr<SerialBackend> backend_;
    InputWaker* waker_ = nullptr;
    std::deque<uint8_t> queue_;
    bool gated_ = false;
};

}  // namespace vmm
