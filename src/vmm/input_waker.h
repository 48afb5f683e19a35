// Host input while the vcpu runs or waits in WFI: a thread watches the
// serial backend's descriptor and, when input arrives, sets every vcpu's
// immediate_exit (the KVM way to kick a vcpu out of KVM_RUN; whichever vcpu
// the round-robin loop runs, or waits in, sees it), so the VMM can move the
// input into the UART. The watch is one-shot (EPOLLONESHOT): after a kick
// the descriptor is not watched until ack(), so one burst of input is one
// kick, and ack() re-arms it from the VMM's thread without waking the
// watcher (a debugger's stepi costs no thread switch).
#pragma once

#include <cstdint>
#include <thread>
#include <vector>

namespace vmm {

class InputWaker {
public:
    // fd: readable when input waits; immediate_exit: the vcpus' RunState
    // bytes, written through atomic views.
    InputWaker(int fd, std::vector<uint8_t*> immediate_exit);
    ~InputWaker();
    InputWaker(const InputWaker&) = delete;
    InputWaker& operator=(const InputWaker&) = delete;

    // The VMM took all the input it found (or the guest's FIFO has room
    // again): watch for more.
    void ack();
    // Nothing runs until the next ack() (the guest stopped for gdb): input
    // that comes meanwhile kicks no one.
    void hold();
    // Kicks every vcpu out now, as input would (the console's quit escape).
    void kick();

private:
    void loop();
    void watch(uint32_t events);

    int fd_;
    std::vector<uint8_t*> immediate_exit_;
    int epoll_fd_ = -1;
    int stop_pipe_[2] = {-1, -1};
    std::thread thread_;
};

}  // namespace vmm
