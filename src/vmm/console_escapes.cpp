#include "vmm/console_escapes.h"

namespace vmm {

ConsoleEscapes::Effect ConsoleEscapes::feed(uint8_t byte) {
    if (!escaped_) {
        escaped_ = byte == kEscape;
        return escaped_ ? Effect::Swallowed : Effect::ToGuest;
    }
    escaped_ = false;
    switch (byte) {
    case kEscape: return Effect::ToGuest;
    case 'x':
    case 'X': return Effect::Quit;
    case 'h':
    case 'H':
    case '?': return Effect::Help;
    default: return Effect::Swallowed;
    }
}

std::string_view ConsoleEscapes::help() {
    return "C-a h    print this help\n"
           "C-a x    exit stepvisor\n"
           "C-a C-a  sends C-a\n";
}

std::string_view ConsoleEscapes::hint() {
    return "stepvisor: console on this terminal: Ctrl-A H for help, Ctrl-A X to quit";
}

}  // namespace vmm
