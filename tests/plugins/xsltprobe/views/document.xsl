<?xml version="1.0" encoding="UTF-8"?>
<!--
  document.xsl - tries to read outside the sandbox at transform time. Each
  attempt must come out empty (or the transform fails and the page is a
  500): never the file's content.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="probe">
    <h1>XSLT sandbox probe</h1>
    <p id="absolute"><xsl:value-of select="document('file:///etc/passwd')"/></p>
    <p id="plain-path"><xsl:value-of select="document('/etc/passwd')"/></p>
    <p id="relative"><xsl:value-of
        select="document('../../../../../../../../../../etc/passwd')"/></p>
    <p id="hostname"><xsl:value-of select="document('file:///etc/hostname')"/></p>
    <p id="url"><xsl:value-of select="document('http://127.0.0.1:9/x.xml')"/></p>
    <p id="from-data"><xsl:value-of select="document(uri)"/></p>
    <p id="view-itself"><xsl:value-of
        select="count(document('document.xsl')//*)"/></p>
    <p id="done">rendered</p>
  </xsl:template>
</xsl:stylesheet>
