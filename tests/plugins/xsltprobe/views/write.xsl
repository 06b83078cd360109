<?xml version="1.0" encoding="UTF-8"?>
<!--
  write.xsl - tries to write a file at transform time with exsl:document
  (EXSLT is registered for views). The target comes from the request; the
  file must never appear.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:exsl="http://exslt.org/common"
    xmlns:ln="urn:labnet:xslt"
    extension-element-prefixes="exsl"
    exclude-result-prefixes="ln exsl">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="probe">
    <h1>XSLT write probe</h1>
    <exsl:document href="{target}" method="text">written by a view</exsl:document>
    <p id="done">rendered</p>
  </xsl:template>
</xsl:stylesheet>
