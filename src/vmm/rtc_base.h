// `--rtc base=...`, QEMU's -rtc spelling: where the PL031's count of seconds
// starts. utc (the default) is the host's time at start-up, localtime the
// host's wall clock read as if it were UTC (what QEMU gives a Windows
// guest), and a date (YYYY-MM-DDTHH:MM:SS or YYYY-MM-DD, UTC) makes a run's
// dates reproducible.
#pragma once

#include <cstdint>
#include <ctime>
#include <string_view>

#include "kvm/result.h"

namespace vmm {

// Seconds since 1970-01-01T00:00:00 UTC for RTCDR (1970 to 2106, the
// register's 32 bits); `now` is the host's time for utc and localtime.
// Errors name the text and what is accepted.
kvm::Result<uint32_t> parse_rtc_base(std::string_view text, std::time_t now);

}  // namespace vmm
