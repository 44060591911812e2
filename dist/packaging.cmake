# CPack: one Debian package, "pictor", with the library, the command line, the headers, the
# profiles and the pkg-config / CMake files. Build it with `cpack -G DEB` in the build tree,
# configured with -DCMAKE_INSTALL_PREFIX=/usr (Debian's multiarch libdir is chosen only then).
set(CPACK_PACKAGE_NAME pictor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "pictor developers")
set(CPACK_PACKAGE_CONTACT "pictor developers <pictor@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB)
# Hand values such as the multi-line description to cpack exactly as written here.
set(CPACK_VERBATIM_VARIABLES TRUE)
# Package exactly the layout `cmake --install` produces (CPack's DEB default would be /usr
# whatever the project was configured with).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
# Debian ships stripped binaries (RelWithDebInfo's debug info is most of libpictor.so's size);
# the dynamic symbol table survives.
set(CPACK_STRIP_FILES TRUE)

set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
# The body only: CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY in front as the synopsis line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "OpenAI's gpt-image-2 Images API (generation, reference edits, inpainting)\nas libpictor, its C API, and the pictor command line.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # pictor_<version>_<arch>.deb
# The shlibs file lets packages built against libpictor depend on it; it also makes CPack add
# the ldconfig trigger a package shipping a shared library needs.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

# Depends from the ELF files themselves when dpkg-shlibdeps (dpkg-dev) is there; by hand
# (Debian 12 names) otherwise.
find_program(PICTOR_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PICTOR_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6, libstdc++6, libgcc-s1, libcurl4, libpng16-16, libjpeg62-turbo, libwebp7, libisal2")
endif()

include(CPack)
