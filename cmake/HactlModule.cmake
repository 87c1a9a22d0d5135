# hactl_module(NAME DIR DEPS...): a static library of every .cpp directly in DIR
# (and its subfolders), so modules developed side by side never edit one CMake
# file. Files under a "tools" folder are excluded (they are executables), and
# so are "fuzz" (fuzz targets) and "sim" (test fakes: test/CMakeLists.txt
# builds them as test-only libraries, so they never link into the product).
function(hactl_module name dir)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${dir}/*.cpp)
  list(FILTER srcs EXCLUDE REGEX "/(tools|fuzz|sim)/")
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARGN})
endfunction()

# hactl_test(NAME LIBS...): one doctest binary from test/<dir>/*_test.cpp,
# each TEST_CASE registered with ctest.
function(hactl_test name dir)
  file(GLOB srcs CONFIGURE_DEPENDS ${dir}/*_test.cpp)
  if(NOT srcs)
    return()  # no tests yet for this module
  endif()
  add_executable(${name} ${srcs})
  target_link_libraries(${name} PRIVATE hactl_doctest_main ${ARGN})
  target_compile_definitions(${name} PRIVATE HACTL_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                             HACTL_BINARY="$<TARGET_FILE:hactl>")
  doctest_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES TIMEOUT 300)
endfunction()
