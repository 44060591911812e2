# Writes pictor's man page from its own --help texts, so the page says what the program accepts:
#   cmake -DPICTOR=path/to/pictor -DOUTPUT=pictor.1 -DVERSION=x.y.z -P make_man_page.cmake
# The top-level help names the commands; each command's --help becomes its section.
foreach(_var PICTOR OUTPUT VERSION)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "make_man_page.cmake needs -D${_var}=...")
  endif()
endforeach()

function(help_of out)
  execute_process(COMMAND ${PICTOR} ${ARGN} --help OUTPUT_VARIABLE _text RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "${PICTOR} ${ARGN} --help failed (${_rc})")
  endif()
  set(${out} "${_text}" PARENT_SCOPE)
endfunction()

# roff: a backslash is \e, a line starting with . or ' would be a request, - is a hyphen (\-).
function(roff out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

help_of(_top)
string(REGEX MATCH "\ncommands:\n(([ ]+[^\n]*\n)+)" _ "${_top}")
string(REGEX MATCHALL "\n  [a-z][a-z-]*" _names "\n${CMAKE_MATCH_1}")
set(_commands "")
foreach(_name IN LISTS _names)
  string(STRIP "${_name}" _name)
  list(APPEND _commands ${_name})
endforeach()
if(NOT _commands)
  message(FATAL_ERROR "no commands found in '${PICTOR} --help'")
endif()

string(TIMESTAMP _date "%Y-%m-%d" UTC)
roff(_top_roff "${_top}")
set(_page ".TH PICTOR 1 \"${_date}\" \"pictor ${VERSION}\" \"User Commands\"
.SH NAME
pictor \\- gpt\\-image\\-2 image generation, editing and inpainting from the command line
.SH SYNOPSIS
.nf
${_top_roff}.fi
.SH DESCRIPTION
pictor sends prompts and images to OpenAI's gpt\\-image\\-2 Images API, or to an
OpenAI\\-compatible gateway described by a profile, and writes the images it receives.
Every image received is also kept in the history folder before anything else happens to it.
Each command's options follow, as \\fBpictor \\fICOMMAND\\fB \\-\\-help\\fR prints them.
")
foreach(_command IN LISTS _commands)
  help_of(_text ${_command})
  roff(_text "${_text}")
  string(APPEND _page ".SH \"pictor ${_command}\"\n.nf\n${_text}.fi\n")
endforeach()
string(APPEND _page ".SH FILES
.TP
.I ~/.config/pictor/config.json
the key (mode 0600), default profile, base URL and limits
.TP
.I ~/.config/pictor/profiles/
your own gateway profiles (the shipped ones are in /usr/share/pictor/profiles)
.TP
.I ~/.local/share/pictor/history/
every image received, with a JSON sidecar
")
file(WRITE "${OUTPUT}" "${_page}")
