<?xml version="1.0" encoding="UTF-8"?>
<!--
  labs-geojson.xsl - /labs.geojson: the directory's matches as an RFC 7946
  FeatureCollection, in the json writer's vocabulary (core/writer.h).
  Positions are [longitude, latitude] in WGS 84, as RFC 7946 orders them;
  a lab without a position is a Feature with a null geometry.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:output method="xml" encoding="UTF-8"/>

  <xsl:template match="/labs">
    <object>
      <string name="type">FeatureCollection</string>
      <array name="features">
        <xsl:apply-templates select="lab"/>
      </array>
    </object>
  </xsl:template>

  <xsl:template match="lab">
    <object>
      <string name="type">Feature</string>
      <string name="id"><xsl:value-of select="@slug"/></string>
      <xsl:choose>
        <xsl:when test="position">
          <object name="geometry">
            <string name="type">Point</string>
            <array name="coordinates">
              <number><xsl:value-of select="position/@lon"/></number>
              <number><xsl:value-of select="position/@lat"/></number>
            </array>
          </object>
        </xsl:when>
        <xsl:otherwise><null name="geometry"/></xsl:otherwise>
      </xsl:choose>
      <object name="properties">
        <string name="slug"><xsl:value-of select="@slug"/></string>
        <string name="name"><xsl:value-of select="name"/></string>
        <string name="institution"><xsl:value-of select="institution"/></string>
        <string name="kind"><xsl:value-of select="kind/@key"/></string>
        <string name="country"><xsl:value-of select="country/@code"/></string>
        <string name="city"><xsl:value-of select="city"/></string>
        <xsl:if test="website"><string name="website"><xsl:value-of select="website"/></string></xsl:if>
        <array name="disciplines">
          <xsl:for-each select="disciplines/term"><string><xsl:value-of select="@key"/></string></xsl:for-each>
        </array>
        <array name="facilities">
          <xsl:for-each select="facilities/term"><string><xsl:value-of select="@key"/></string></xsl:for-each>
        </array>
        <string name="url"><xsl:value-of select="ln:url(concat('/labs/', @slug))"/></string>
        <string name="updated"><xsl:value-of select="updated"/></string>
      </object>
    </object>
  </xsl:template>

</xsl:stylesheet>
