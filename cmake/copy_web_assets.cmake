# Copies the served files of swagger-ui-dist and redoc into the asset folder.
file(MAKE_DIRECTORY ${DEST}/swagger-ui ${DEST}/redoc)
foreach(f swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js favicon-32x32.png)
  file(COPY ${SOURCE}/swagger-ui-dist/${f} DESTINATION ${DEST}/swagger-ui)
endforeach()
file(COPY ${SOURCE}/redoc/bundles/redoc.standalone.js DESTINATION ${DEST}/redoc)
