// SIMD&FP encodings: the Advanced SIMD three same and three different
// classes, vector and scalar (see simd_three.h). Their rows live in three
// files by kind of operation; decode.cpp orders all rows by specificity, so
// this is their concatenation.
#include "cpu/isa/simd_three.h"

#include <vector>

namespace cpu {

std::span<const Encoding> encodings_simd_three() {
    static const std::vector<Encoding> table = [] {
        std::vector<Encoding> all;
        for (auto part : {encodings_simd_three_same(), encodings_simd_three_same_fp(),
                          encodings_simd_three_diff()})
            all.insert(all.end(), part.begin(), part.end());
        return all;
    }();
    return table;
}

}  // namespace cpu
