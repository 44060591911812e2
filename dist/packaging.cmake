# CPack: one Debian package per install component, so that the command line does not pull GIMP,
# GTK or OBS. Build them in a build tree configured with -DCMAKE_INSTALL_PREFIX=/usr (Debian's
# multiarch libdir is chosen only then) with `cpack -G DEB`:
#
#   libpictor<soname>  the library and the gateway profiles (libpictor0.1 while the SONAME is
#                      libpictor.so.0.1: the package is named after it, as Debian's policy says)
#   libpictor-dev      the headers, libpictor.so, pkg-config and CMake files
#   pictor             the command line, its man page and bash completion
#   gimp-plugin-pictor the GIMP plug-in(s), in GIMP's own plug-in folder
#   obs-plugin-pictor  the OBS module, where Debian's OBS looks for modules
#   krita-plugin-pictor the Krita plug-in
set(CPACK_PACKAGE_NAME pictor)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "pictor developers")
set(CPACK_PACKAGE_CONTACT "pictor developers <pictor@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_GENERATOR DEB)
# Hand values such as the multi-line descriptions to cpack exactly as written here.
set(CPACK_VERBATIM_VARIABLES TRUE)
# Package exactly the layout `cmake --install` produces (CPack's DEB default would be /usr
# whatever the project was configured with).
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
# Debian ships stripped binaries (RelWithDebInfo's debug info is most of libpictor.so's size);
# the dynamic symbol table survives.
set(CPACK_STRIP_FILES TRUE)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING IGNORE) # one package per component
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON) # component DEPENDS become "Depends: x (= version)"
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # <package>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)

get_target_property(_pictor_soversion pictor SOVERSION)
set(_pictor_common "pictor brings OpenAI's gpt-image-2 Images API (generation, edits with reference\nimages, inpainting) and OpenAI-compatible gateways into GIMP, Krita, OBS Studio and\nthe command line.")

# component  package  section  summary  description (after the common text)  extra Depends
set(CPACK_COMPONENTS_ALL library development cli)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME libpictor${_pictor_soversion})
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_LIBRARY_DESCRIPTION "gpt-image-2 image API client library\n${_pictor_common}\n.\nThis package holds libpictor, its stable C ABI, and the gateway profiles.")
# The shlibs file lets packages built against libpictor depend on it; it also makes CPack add
# the ldconfig trigger a package shipping a shared library needs.
set(CPACK_DEBIAN_LIBRARY_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libpictor-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS library)
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "gpt-image-2 image API client library (development files)\n${_pictor_common}\n.\nThis package holds the C header, the C++ wrapper, and the pkg-config and CMake\nfiles to build against libpictor.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME pictor)
set(CPACK_COMPONENT_CLI_DEPENDS library)
set(CPACK_COMPONENT_CLI_DESCRIPTION "gpt-image-2 image generation, editing and inpainting from the command line\n${_pictor_common}\n.\nThis package holds the pictor command, its man page and bash completion.")

if(TARGET pictor_gimp OR TARGET pictor_gimp3)
  list(APPEND CPACK_COMPONENTS_ALL gimp_plugin)
  set(CPACK_DEBIAN_GIMP_PLUGIN_PACKAGE_NAME gimp-plugin-pictor)
  set(CPACK_COMPONENT_GIMP_PLUGIN_DEPENDS library)
  set(CPACK_DEBIAN_GIMP_PLUGIN_PACKAGE_DEPENDS "gimp")
  set(CPACK_COMPONENT_GIMP_PLUGIN_DESCRIPTION "GIMP plug-in for gpt-image-2: generate, inpaint, edit with references\n${_pictor_common}\n.\nThis package adds Filters > Pictor to GIMP.")
endif()
if(TARGET pictor_obs)
  list(APPEND CPACK_COMPONENTS_ALL obs_plugin)
  set(CPACK_DEBIAN_OBS_PLUGIN_PACKAGE_NAME obs-plugin-pictor)
  set(CPACK_DEBIAN_OBS_PLUGIN_PACKAGE_SECTION video)
  set(CPACK_COMPONENT_OBS_PLUGIN_DEPENDS library)
  set(CPACK_DEBIAN_OBS_PLUGIN_PACKAGE_DEPENDS "obs-studio")
  set(CPACK_COMPONENT_OBS_PLUGIN_DESCRIPTION "OBS Studio module for gpt-image-2: an image source and a restyle filter\n${_pictor_common}\n.\nThis package adds the Pictor Image source and the Pictor Restyle filter to OBS.\nLinked with libobs, it is distributed under the GPL-2.0-or-later.")
endif()
if(PICTOR_KRITA_PLUGIN)
  list(APPEND CPACK_COMPONENTS_ALL krita_plugin)
  set(CPACK_DEBIAN_KRITA_PLUGIN_PACKAGE_NAME krita-plugin-pictor)
  set(CPACK_DEBIAN_KRITA_PLUGIN_PACKAGE_ARCHITECTURE all)
  set(CPACK_COMPONENT_KRITA_PLUGIN_DEPENDS library)
  set(CPACK_DEBIAN_KRITA_PLUGIN_PACKAGE_DEPENDS "krita, python3-pyqt5")
  set(CPACK_COMPONENT_KRITA_PLUGIN_DESCRIPTION "Krita plug-in for gpt-image-2: the Pictor docker\n${_pictor_common}\n.\nThis package adds the Pictor docker and scripting module to Krita.")
endif()

# Each package carries the license (Debian: /usr/share/doc/<package>/copyright).
foreach(_component IN LISTS CPACK_COMPONENTS_ALL)
  string(TOUPPER ${_component} _upper)
  install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/debian/copyright
    DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${CPACK_DEBIAN_${_upper}_PACKAGE_NAME}
    COMPONENT ${_component} EXCLUDE_FROM_ALL)
endforeach()

# Depends from the ELF files themselves when dpkg-shlibdeps (dpkg-dev) is there (libpictor's
# own entry comes from the component DEPENDS above); by hand (Debian 12 names) otherwise.
find_program(PICTOR_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PICTOR_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # The programs' libpictor is in another package of this build: let dpkg-shlibdeps find it
  # in the build tree (it adds no entry for it; the component DEPENDS does).
  get_target_property(_pictor_build_dir pictor BINARY_DIR)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${_pictor_build_dir})
else()
  set(CPACK_DEBIAN_LIBRARY_PACKAGE_DEPENDS
    "libc6, libstdc++6, libgcc-s1, libcurl4, libpng16-16, libjpeg62-turbo, libwebp7, libisal2, libsecret-1-0")
endif()

include(CPack)
