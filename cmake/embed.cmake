# Writes a C source that embeds files as byte arrays.
#   cmake -DOUT=file.c -DVAR=qy_assets -DBASE=dir -DFILES="a;b" -P embed.cmake
# Names are paths relative to BASE; the table is sorted by name so that
# lookups can bisect.
set(body "#include \"util/embed.h\"\n\n")
set(table "")
set(i 0)
string(REPLACE "|" ";" FILES "${FILES}")
if(FILES)
  list(SORT FILES)
endif()
foreach(f IN LISTS FILES)
  file(READ "${f}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR len "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  file(RELATIVE_PATH name "${BASE}" "${f}")
  string(APPEND body "static const unsigned char ${VAR}_${i}[] = {\n${bytes}0x00};\n")
  string(APPEND table "\t{\"${name}\", ${VAR}_${i}, ${len}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "\nconst struct embedded_file ${VAR}[] = {\n${table}\t{0, 0, 0}};\n")
# The count is named with an n after the prefix: qy_assets -> qy_nassets.
string(REPLACE "qy_" "qy_n" NVAR "${VAR}")
string(APPEND body "const size_t ${NVAR} = ${i};\n")
file(WRITE "${OUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")
