# AArch64 guest programs, built with Debian's cross toolchain. Bare metal:
# linked at 0x4020_0000 (QEMU virt RAM + 2 MiB) as one RWX load segment,
# strict alignment because data accesses with the MMU off are Device memory.
find_program(GUEST_CC aarch64-linux-gnu-gcc REQUIRED)
find_program(GUEST_OBJCOPY aarch64-linux-gnu-objcopy REQUIRED)

set(GUEST_SRC_DIR ${PROJECT_SOURCE_DIR}/guests)
set(GUEST_FLAGS -ffreestanding -nostdlib -nostartfiles -static -O2 -g
    -mgeneral-regs-only -mstrict-align -fno-pic -fno-stack-protector
    -Wall -Wextra -Werror -I${GUEST_SRC_DIR}/lib
    -Wl,-T,${GUEST_SRC_DIR}/link.ld -Wl,--build-id=none -Wl,--no-warn-rwx-segments)
set(GUEST_LIB ${GUEST_SRC_DIR}/lib/start.S ${GUEST_SRC_DIR}/lib/runtime.c)
# FP guests are compiled as ordinary user code is: SIMD&FP registers, the
# Crypto extension, unaligned accesses. start.S (GUEST_FP) therefore enables
# the FP unit and turns the MMU on (RAM Normal memory) before main().
# -fno-math-errno: no libm behind sqrt() to set errno, so the FSQRT stays
# inline as in any libm-free code.
set(GUEST_FP_FLAGS -march=armv8-a+crypto -fno-math-errno -DGUEST_FP)

add_custom_target(guests ALL)

# add_guest(NAME [BARE] [FP] SOURCES... [DEFINES D...]): builds NAME.elf and
# NAME.bin in the current binary directory from SOURCES (relative to the
# current source directory), with the C runtime (start-up, vectors, UART,
# PSCI) unless BARE. FP: with GUEST_FP_FLAGS instead of -mgeneral-regs-only
# and -mstrict-align, and lib/string.c (the mem* functions gcc may call from
# such code). NAME.bin is the flat image from the link address, for
# API tests that load guests without the VMM's ELF loader.
function(add_guest name)
  cmake_parse_arguments(G "BARE;FP" "" "DEFINES" ${ARGN})
  set(flags ${GUEST_FLAGS})
  if(G_FP)
    list(REMOVE_ITEM flags -mgeneral-regs-only -mstrict-align)
    list(APPEND flags ${GUEST_FP_FLAGS})
  endif()
  set(srcs)
  if(NOT G_BARE)
    set(srcs ${GUEST_LIB})
    if(G_FP)
      list(APPEND srcs ${GUEST_SRC_DIR}/lib/string.c)
    endif()
  endif()
  set(headers ${GUEST_SRC_DIR}/lib/guest.h)
  foreach(s ${G_UNPARSED_ARGUMENTS})
    list(APPEND srcs ${CMAKE_CURRENT_SOURCE_DIR}/${s})
    get_filename_component(dir ${CMAKE_CURRENT_SOURCE_DIR}/${s} DIRECTORY)
    file(GLOB dir_headers ${dir}/*.h)
    list(APPEND headers ${dir_headers})
  endforeach()
  list(TRANSFORM G_DEFINES PREPEND -D)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.elf)
  add_custom_command(OUTPUT ${out} ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin
    COMMAND ${GUEST_CC} ${flags} ${G_DEFINES} -o ${out} ${srcs}
    COMMAND ${GUEST_OBJCOPY} -O binary ${out} ${CMAKE_CURRENT_BINARY_DIR}/${name}.bin
    DEPENDS ${srcs} ${headers} ${GUEST_SRC_DIR}/link.ld
    COMMENT "Building guest ${name}.elf" VERBATIM)
  add_custom_target(guest_${name} DEPENDS ${out})
  add_dependencies(guests guest_${name})
endfunction()
