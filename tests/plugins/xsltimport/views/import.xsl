<?xml version="1.0" encoding="UTF-8"?>
<!-- import.xsl - imports a file that is not a stylesheet: refused at start-up. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="labnet:layout.xsl"/>
  <xsl:import href="file:///etc/passwd"/>
  <xsl:template match="page"><h1>never</h1></xsl:template>
</xsl:stylesheet>
