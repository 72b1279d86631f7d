# sp_embed(NAME FILES OUTPUT): generate OUTPUT, a C file defining
#   const struct sp_embedded NAME[] = { {"file.ext", data, size}, ..., {0} };
# so SQL migrations and web assets ship inside the binary.
function(sp_embed name files output)
  # a list must reach the script as one argument: protect its semicolons
  string(REPLACE ";" "$<SEMICOLON>" files_arg "${files}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DNAME=${name} "-DFILES=${files_arg}" -DOUTPUT=${output}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${name}"
    VERBATIM)
endfunction()
