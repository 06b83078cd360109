<?xml version="1.0" encoding="UTF-8"?>
<!--
  labs-csv.xsl - /labs.csv: the directory's matches as the csv writer's
  table (core/writer.h). The header names are fixed field names, not
  translated, so scripts can rely on them; lists are joined with "; ".
  Keys (kind, country, vocabulary terms) go out as keys.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:output method="xml" encoding="UTF-8"/>

  <xsl:template match="/labs">
    <table>
      <row>
        <cell>slug</cell><cell>name</cell><cell>institution</cell>
        <cell>kind</cell><cell>country</cell><cell>city</cell>
        <cell>address</cell><cell>latitude</cell><cell>longitude</cell>
        <cell>website</cell><cell>email</cell><cell>phone</cell>
        <cell>disciplines</cell><cell>facilities</cell><cell>languages</cell>
        <cell>description</cell><cell>url</cell><cell>updated</cell>
      </row>
      <xsl:for-each select="lab">
        <row>
          <cell><xsl:value-of select="@slug"/></cell>
          <cell><xsl:value-of select="name"/></cell>
          <cell><xsl:value-of select="institution"/></cell>
          <cell><xsl:value-of select="kind/@key"/></cell>
          <cell><xsl:value-of select="country/@code"/></cell>
          <cell><xsl:value-of select="city"/></cell>
          <cell><xsl:value-of select="address"/></cell>
          <cell type="number"><xsl:value-of select="position/@lat"/></cell>
          <cell type="number"><xsl:value-of select="position/@lon"/></cell>
          <cell><xsl:value-of select="website"/></cell>
          <cell><xsl:value-of select="email"/></cell>
          <cell><xsl:value-of select="phone"/></cell>
          <cell><xsl:for-each select="disciplines/term"><xsl:if test="position() > 1">; </xsl:if><xsl:value-of select="@key"/></xsl:for-each></cell>
          <cell><xsl:for-each select="facilities/term"><xsl:if test="position() > 1">; </xsl:if><xsl:value-of select="@key"/></xsl:for-each></cell>
          <cell><xsl:for-each select="languages/language"><xsl:if test="position() > 1">; </xsl:if><xsl:value-of select="@code"/></xsl:for-each></cell>
          <cell><xsl:value-of select="description"/></cell>
          <cell><xsl:value-of select="ln:url(concat('/labs/', @slug))"/></cell>
          <cell><xsl:value-of select="updated"/></cell>
        </row>
      </xsl:for-each>
    </table>
  </xsl:template>

</xsl:stylesheet>
