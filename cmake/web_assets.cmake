# Installs the npm packages listed in web/package.json and copies the files the server
# serves into <build>/assets. Runs only when the lock file changes.
find_program(NPM_PROGRAM npm)
set(ASSET_DIR ${CMAKE_BINARY_DIR}/assets)
set(ASSET_STAMP ${ASSET_DIR}/.stamp)
if(NPM_PROGRAM)
  add_custom_command(
    OUTPUT ${ASSET_STAMP}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${ASSET_DIR}
    COMMAND ${NPM_PROGRAM} ci --no-audit --no-fund --silent --ignore-scripts --prefix ${CMAKE_BINARY_DIR}/web
            --cache ${CMAKE_BINARY_DIR}/npm-cache
    COMMAND ${CMAKE_COMMAND} -DSOURCE=${CMAKE_BINARY_DIR}/web/node_modules -DDEST=${ASSET_DIR}
            -P ${CMAKE_SOURCE_DIR}/cmake/copy_web_assets.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${ASSET_STAMP}
    DEPENDS ${CMAKE_BINARY_DIR}/web/package.json
    COMMENT "Installing API documentation assets from npm")
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/web/package.json
    COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/web/package.json
            ${CMAKE_SOURCE_DIR}/web/package-lock.json ${CMAKE_BINARY_DIR}/web/
    DEPENDS ${CMAKE_SOURCE_DIR}/web/package.json ${CMAKE_SOURCE_DIR}/web/package-lock.json)
  add_custom_target(web_assets ALL DEPENDS ${ASSET_STAMP})
else()
  message(WARNING "npm not found: /docs and /redoc will answer 503 until assets are installed")
endif()
