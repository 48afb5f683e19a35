// The console's escapes when --serial stdio is a terminal, after QEMU's
// `-serial mon:stdio` / `-nographic` convention (chardev/char-mux.c): Ctrl-A
// then a key is a command to stepvisor, not input for the guest.
//
//   Ctrl-A x        quit stepvisor (exit status 0)
//   Ctrl-A h or ?   list the escapes
//   Ctrl-A Ctrl-A   send one Ctrl-A to the guest
//
// Any other key after Ctrl-A is dropped, as QEMU drops the escapes it does
// not know. The letters are accepted in either case.
#pragma once

#include <cstdint>
#include <string_view>

namespace vmm {

class ConsoleEscapes {
public:
    static constexpr uint8_t kEscape = 0x01;  // Ctrl-A

    // What one byte from the host's keyboard does.
    enum class Effect { ToGuest, Swallowed, Help, Quit };
    Effect feed(uint8_t byte);

    // The help Ctrl-A h prints (lines end in "\n"), and the line said at
    // start-up on a terminal.
    static std::string_view help();
    static std::string_view hint();

private:
    bool escaped_ = false;
};

}  // namespace vmm
