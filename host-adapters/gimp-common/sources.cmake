# What both GIMP adapters (gimp/ for 2.10, gimp3/ for 3) compile in: the commands' texts and
# settings, the client and profile info, the job session with its progress window, and
# Pictor Settings. It calls only the libgimp API the two versions share, so it is built once
# per adapter against that adapter's libgimp; each adapter brings its own document_glue.c (the
# few libgimp calls whose signatures differ between 2.10 and 3).
set(PICTOR_GIMP_COMMON_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PICTOR_GIMP_COMMON_SOURCES
  ${PICTOR_GIMP_COMMON_DIR}/arrivals_notice.c
  ${PICTOR_GIMP_COMMON_DIR}/command_settings.c
  ${PICTOR_GIMP_COMMON_DIR}/gateway_client.c
  ${PICTOR_GIMP_COMMON_DIR}/gimp_document.c
  ${PICTOR_GIMP_COMMON_DIR}/history_browser.c
  ${PICTOR_GIMP_COMMON_DIR}/job_session.c
  ${PICTOR_GIMP_COMMON_DIR}/pictor_settings.c
  ${PICTOR_GIMP_COMMON_DIR}/progress_window.c)

# Whether an adapter is built: its option (AUTO, ON or OFF) and its pkg-config modules (ARGN,
# imported as PkgConfig::<prefix>). ON requires them; AUTO builds when they are found and says
# which Debian package (hint) is missing otherwise. Sets <prefix>_BUILD.
macro(pictor_gimp_wanted option prefix label hint)
  set(${prefix}_BUILD FALSE)
  if(${option} STREQUAL "ON")
    pkg_check_modules(${prefix} REQUIRED IMPORTED_TARGET ${ARGN})
  elseif(NOT ${option} STREQUAL "OFF")
    pkg_check_modules(${prefix} QUIET IMPORTED_TARGET ${ARGN})
    if(NOT ${prefix}_FOUND)
      message(STATUS "${label} plug-in: not built (install ${hint} to build it)")
    endif()
  endif()
  if(${prefix}_FOUND AND NOT ${option} STREQUAL "OFF")
    set(${prefix}_BUILD TRUE)
  endif()
endmacro()

# The executable GIMP runs, and where it is installed, for either adapter:
#   pictor_gimp_plugin(TARGET PKG_CONFIG_MODULE DIR_CACHE_VAR COMPONENT LABEL SOURCES...)
# GIMP finds a plug-in as plug-ins/<name>/<name>. System-wide (a plain `cmake --install`):
# $(pkg-config --variable=gimplibdir MODULE)/plug-ins/pictor/pictor, taken relative to GIMP's
# prefix so that --prefix /usr lands exactly there and a staged install (DESTDIR, --prefix)
# stays inside its prefix. Per user, with everything it needs inside one folder GIMP scans:
#   cmake --install build --component COMPONENT --prefix <GIMP's user plug-ins>/pictor
# gives pictor/pictor, pictor/lib/libpictor.so.*, pictor/share/pictor/profiles/ (libpictor
# looks for its profiles beside itself).
function(pictor_gimp_plugin target module dir_var component label)
  add_executable(${target} ${ARGN} ${PICTOR_GIMP_COMMON_SOURCES})
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${PICTOR_GIMP_COMMON_DIR})
  # GIMP's headers come in as system headers (an imported target's), so their warnings under
  # -Wextra are not ours; the shared GTK code keeps calls GTK 3 deprecates but GTK 2 needs.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-deprecated-declarations)
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME pictor
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/pictor)

  pkg_get_variable(_libdir ${module} gimplibdir)
  pkg_get_variable(_prefix ${module} prefix)
  file(RELATIVE_PATH _libdir_in_prefix "${_prefix}" "${_libdir}")
  set(${dir_var} "${_libdir_in_prefix}/plug-ins" CACHE PATH
      "Folder of ${label} plug-ins the plug-in is installed into, as <dir>/pictor/pictor (relative: to the prefix)")
  # Per user, libpictor travels in the plug-in's folder (lib/); system-wide it is the prefix's
  # library folder, reached from the plug-in's own place so that any --prefix works.
  if(IS_ABSOLUTE "${${dir_var}}" OR IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
    set(_to_libdir "${CMAKE_INSTALL_FULL_LIBDIR}")
  else()
    file(RELATIVE_PATH _to_libdir "/prefix/${${dir_var}}/pictor" "/prefix/${CMAKE_INSTALL_LIBDIR}")
    set(_to_libdir "$ORIGIN/${_to_libdir}")
  endif()
  set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/lib;${_to_libdir}")
  if(NOT IS_ABSOLUTE "${${dir_var}}" AND NOT CMAKE_INSTALL_PREFIX STREQUAL _prefix)
    message(STATUS "${label} plug-in: installs into ${CMAKE_INSTALL_PREFIX}/${${dir_var}}, "
                   "where ${label} (prefix ${_prefix}) does not look; see README \"GIMP\"")
  endif()
  install(TARGETS ${target} RUNTIME DESTINATION ${${dir_var}}/pictor COMPONENT gimp_plugin)

  install(TARGETS ${target} RUNTIME DESTINATION . COMPONENT ${component} EXCLUDE_FROM_ALL)
  install(TARGETS pictor LIBRARY DESTINATION lib NAMELINK_SKIP COMPONENT ${component} EXCLUDE_FROM_ALL)
  if(TARGET pictor_request_runner) # libpictor runs it from pictor/ beside itself
    install(TARGETS pictor_request_runner DESTINATION lib/pictor COMPONENT ${component} EXCLUDE_FROM_ALL)
  endif()
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/dist/profiles/ DESTINATION share/pictor/profiles
    COMPONENT ${component} EXCLUDE_FROM_ALL FILES_MATCHING PATTERN "*.json")
  message(STATUS "${label} plug-in: built")
endfunction()
