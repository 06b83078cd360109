<?xml version="1.0" encoding="UTF-8"?>
<!-- kinds.xsl - the translated name of a call's kind, shared by both views.
     Literal keys only, so tools/check-messages can verify every catalog. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">
  <xsl:template name="kind-label">
    <xsl:param name="kind"/>
    <xsl:choose>
      <xsl:when test="$kind = 'grant'"><xsl:value-of select="ln:t('opencalls.kind.grant')"/></xsl:when>
      <xsl:when test="$kind = 'residency'"><xsl:value-of select="ln:t('opencalls.kind.residency')"/></xsl:when>
      <xsl:when test="$kind = 'challenge'"><xsl:value-of select="ln:t('opencalls.kind.challenge')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="ln:t('opencalls.kind.call')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
