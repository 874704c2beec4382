# Installation (`cmake --install build --strip [--prefix P]`) and the Debian package
# (`cpack -G DEB` in the build directory). deploy/README.md says what an administrator does next.
include(GNUInstallDirs)

# --- meteo-etl(1) and the bash completion, printed by the binary from its CLI definitions -------
set(METEO_MAN_PAGE ${CMAKE_BINARY_DIR}/meteo-etl.1.gz)
set(METEO_BASH_COMPLETION ${CMAKE_BINARY_DIR}/meteo-etl.bash-completion)
add_custom_command(OUTPUT ${METEO_MAN_PAGE}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:meteo-etl> -DARGUMENT=--print-man-page
          -DOUTPUT=${METEO_MAN_PAGE} -DGZIP=ON -P ${CMAKE_SOURCE_DIR}/cmake/ProgramOutput.cmake
  DEPENDS meteo-etl ${CMAKE_SOURCE_DIR}/cmake/ProgramOutput.cmake
  COMMENT "Generating the man page meteo-etl(1)" VERBATIM)
add_custom_command(OUTPUT ${METEO_BASH_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:meteo-etl> -DARGUMENT=--print-bash-completion
          -DOUTPUT=${METEO_BASH_COMPLETION} -P ${CMAKE_SOURCE_DIR}/cmake/ProgramOutput.cmake
  DEPENDS meteo-etl ${CMAKE_SOURCE_DIR}/cmake/ProgramOutput.cmake
  COMMENT "Generating the bash completion of meteo-etl" VERBATIM)
add_custom_target(meteo-etl-manual ALL DEPENDS ${METEO_MAN_PAGE} ${METEO_BASH_COMPLETION})

# --- What `cmake --install` puts under the prefix ---------------------------------------------
install(TARGETS meteo-etl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${METEO_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${METEO_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME meteo-etl)
# The documentation keeps the repository's layout, so that the README's links still lead somewhere.
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
install(FILES deploy/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/deploy)
install(DIRECTORY sql/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/sql)
file(GLOB METEO_EXAMPLE_CONFIGS ${CMAKE_SOURCE_DIR}/config/*.toml)
install(FILES ${METEO_EXAMPLE_CONFIGS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
# systemd reads the lib/ directories under /usr and /usr/local alike (not the multiarch libdir).
install(FILES deploy/meteo-etl.sysusers DESTINATION lib/sysusers.d RENAME meteo-etl.conf)
install(FILES deploy/meteo-etl.tmpfiles DESTINATION lib/tmpfiles.d RENAME meteo-etl.conf)

# deploy/ names the paths of the default prefix (/usr/local). The installed copies name the prefix
# they are installed under, known only at install time (`--prefix`, the package's /usr).
# Substituted: the binary's directory and the documentation's; any other /usr/local path is an
# error, so a new path in deploy/ cannot slip into the package unnoticed.
function(meteo_install_for_prefix file destination)
  set(bindir ${CMAKE_INSTALL_BINDIR})
  set(docdir ${CMAKE_INSTALL_DOCDIR})
  get_filename_component(name ${file} NAME)
  install(CODE "
    file(READ \"${CMAKE_SOURCE_DIR}/${file}\" text)
    string(REPLACE \"/usr/local/bin/\" \"\${CMAKE_INSTALL_PREFIX}/${bindir}/\" text \"\${text}\")
    string(REPLACE \"/usr/local/share/doc/meteo-etl/\" \"\${CMAKE_INSTALL_PREFIX}/${docdir}/\"
           text \"\${text}\")
    if(NOT CMAKE_INSTALL_PREFIX STREQUAL \"/usr/local\" AND text MATCHES \"/usr/local/\")
      message(FATAL_ERROR \"${file}: a /usr/local path without its install location\")
    endif()
    # One scratch directory per destination, so that two installs at once never share a file.
    string(MD5 key \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}\")
    file(WRITE \"${CMAKE_BINARY_DIR}/prefixed/\${key}/${name}\" \"\${text}\")
    file(INSTALL \"${CMAKE_BINARY_DIR}/prefixed/\${key}/${name}\"
         DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${destination}\")")
endfunction()
meteo_install_for_prefix(deploy/meteo-etl.service lib/systemd/system)
meteo_install_for_prefix(deploy/meteo-etl.timer lib/systemd/system)
# The alternative to the timer: `watch` as a Type=notify service, disabled like the timer.
meteo_install_for_prefix(deploy/meteo-etl-watch.service lib/systemd/system)
# Examples only: the timer is the scheduler; a package never starts cron beside it.
meteo_install_for_prefix(deploy/meteo-etl.cron ${CMAKE_INSTALL_DOCDIR}/examples)
meteo_install_for_prefix(deploy/meteo-etl.logrotate ${CMAKE_INSTALL_DOCDIR}/examples)

# The package alone ships /etc/meteo-etl/meteo-etl.toml (a conffile: dpkg keeps an administrator's
# edits). `cmake --install` leaves /etc alone: it would overwrite an edited configuration.
install(FILES config/meteo-etl.example.toml DESTINATION /etc/meteo-etl RENAME meteo-etl.toml
        COMPONENT conffiles EXCLUDE_FROM_ALL)

# --- The Debian package -----------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME meteo-etl)
set(CPACK_PACKAGE_VENDOR "meteo-etl maintainers")
set(CPACK_PACKAGE_CONTACT
    "meteo-etl maintainers <maintainers@users.noreply.b-seed-2a1efccc.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "hourly weather ETL: IoT sensor feeds to regional temperatures in MySQL")
set(CPACK_PACKAGE_DESCRIPTION
    "meteo-etl is the batch job a city runs every hour: it fetches a sensor feed and weather-station \
portals, archives every payload, validates the records, matches them to regions by geometry \
(GEOS) and stores hourly means per region in MySQL or MariaDB. It ships a systemd timer (left \
disabled until configured) and a sandboxed service.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The libraries' packages come from dpkg-shlibdeps (they are Debian's); systemd | adduser are for
# postinst, tzdata for the time zones libdate-tz reads (the stations' local days).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | adduser, tzdata")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
    "default-mysql-server | virtual-mysql-server, prometheus-node-exporter, logrotate")
set(CPACK_STRIP_FILES ON)
# Files land under DESTDIR + /usr, so the install code above sees the prefix /usr and an absolute
# destination (/etc) lands inside the package, never on the machine that builds it.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS
    "${CMAKE_BINARY_DIR};${PROJECT_NAME};ALL;/" "${CMAKE_BINARY_DIR};${PROJECT_NAME};conffiles;/")
file(WRITE ${CMAKE_BINARY_DIR}/debian/conffiles "/etc/meteo-etl/meteo-etl.toml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/postinst ${CMAKE_SOURCE_DIR}/deploy/debian/prerm
    ${CMAKE_SOURCE_DIR}/deploy/debian/postrm ${CMAKE_BINARY_DIR}/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)

# --- The test: build the package, inspect it, extract it, run what it installed ---------------
if(METEO_BUILD_TESTS)
  add_test(NAME package.deb
    COMMAND bash ${CMAKE_SOURCE_DIR}/tests/e2e/package/package_test.sh ${CMAKE_BINARY_DIR}
            ${PROJECT_VERSION})
  set_tests_properties(package.deb PROPERTIES LABELS package TIMEOUT 300)
endif()
