// Host input while the vcpu runs or waits in WFI: a thread watches the
// serial backend's descriptor and, when input arrives, sets every vcpu's
// immediate_exit (the KVM way to kick a vcpu out of KVM_RUN; whichever vcpu
// the round-robin loop runs, or waits in, sees it), so the VMM can move the
// input into the UART. It then waits for ack() before watching
// again, so one burst of input is one kick.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
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
    // Kicks every vcpu out now, as input would (the console's quit escape).
    void kick();

private:
    void loop();

    int fd_;
    std::vector<uint8_t*> immediate_exit_;
    int stop_pipe_[2] = {-1, -1};
    std::mutex mutex_;
    std::condition_variable cv_;
    bool acked_ = true;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vmm
