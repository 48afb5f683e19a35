// `stepvisor run --record FILE`: what a recording may hold so far, and its
// start (the header, the images' hashes) before the machine is built.
#pragma once

#include <memory>

#include "cli/run_options.h"
#include "kvm/result.h"
#include "vmm/record/journal.h"

namespace cli {

// Refuses what a replay could not repeat yet (each error names the
// option), then creates the file and writes the header and the images.
kvm::Result<std::shared_ptr<vmm::record::Journal>> start_recording(const RunOptions& opts,
                                                                   uint32_t rtc_base);

// The files a run reads, by role ("image", "initrd", "dtb", "disk0", ...),
// with their paths as given.
std::vector<std::pair<std::string, std::string>> run_images(const RunOptions& opts);

}  // namespace cli
