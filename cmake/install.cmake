# cmake/install.cmake - what `cmake --install` puts in place: the header,
# the static and shared library (SONAME libusermm.so.MAJOR.MINOR), the
# usermm command, the man pages, a pkg-config file and a CMake package
# (find_package(usermm) gives usermm::usermm, the shared library, and
# usermm::usermm_static).
include(CMakePackageConfigHelpers)

set(UMM_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/usermm)

install(FILES include/usermm.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS usermm usermm_shared EXPORT usermmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS usermm_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES man/usermm.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES man/usermm.3 DESTINATION ${CMAKE_INSTALL_MANDIR}/man3)

install(EXPORT usermmTargets NAMESPACE usermm:: DESTINATION ${UMM_CMAKE_DIR})
configure_package_config_file(cmake/usermmConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/usermmConfig.cmake INSTALL_DESTINATION ${UMM_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/usermmConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/usermmConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/usermmConfigVersion.cmake
        DESTINATION ${UMM_CMAKE_DIR})

# pkg-config: the prefix found from where the .pc file lies, so that
# `cmake --install --prefix DIR` anywhere gives a working file.
string(REGEX MATCHALL "/" UMM_LIBDIR_SLASHES "${CMAKE_INSTALL_LIBDIR}")
list(LENGTH UMM_LIBDIR_SLASHES UMM_LIBDIR_DEPTH)
set(UMM_PC_PREFIX "\${pcfiledir}/..")
foreach(i RANGE ${UMM_LIBDIR_DEPTH})
  string(APPEND UMM_PC_PREFIX "/..")
endforeach()
configure_file(cmake/usermm.pc.in ${CMAKE_CURRENT_BINARY_DIR}/usermm.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/usermm.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
