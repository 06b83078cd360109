<?xml version="1.0" encoding="UTF-8"?>
<!--
  labs-map.xsl - every published lab on a map of Europe (GET /labs/map):
  an SVG drawn here from positions the handler projected (plugins/labs/
  map.c), over a Natural Earth basemap when one was built, with no tile
  server and no script. Each marker is a link with an accessible name, so
  it takes keyboard focus; the list below is the same labs as text.

  Input:
      <labs-map viewbox="0 0 1000 874">
        <basemap>M...z</basemap>            (optional: SVG path data)
        <lab id= slug=> ... <position lat= lon= x= y=/> ... </lab> ...
      </labs-map>
  (x and y are missing for a lab outside the frame.)
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    xmlns:svg="http://www.w3.org/2000/svg"
    exclude-result-prefixes="ln svg">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="labs-map" mode="title">
    <xsl:value-of select="ln:t('labs.map.title')"/>
  </xsl:template>

  <xsl:template match="labs-map">
    <h1><xsl:value-of select="ln:t('labs.map.title')"/></h1>
    <p><xsl:value-of select="ln:t('labs.map.intro')"/>
      <xsl:text> </xsl:text>
      <a href="#labs-map-list"><xsl:value-of select="ln:t('labs.map.list')"/></a>
    </p>
    <figure class="labs-map">
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="{@viewbox}"
          role="group" aria-label="{ln:t('labs.map.label')}">
        <rect x="0" y="0" width="100%" height="100%" fill="#dbe9f4"/>
        <xsl:if test="basemap">
          <path d="{basemap}" fill="#f4f1e8" stroke="#9aa59a" stroke-width="0.6"/>
        </xsl:if>
        <xsl:for-each select="lab[position/@x]">
          <a href="{ln:url(concat('/labs/', @slug))}" id="lab-{@slug}"
              aria-label="{ln:t('labs.map.marker', name, city)}">
            <title><xsl:value-of select="ln:t('labs.map.marker', name, city)"/></title>
            <circle cx="{position/@x}" cy="{position/@y}" r="7"
                fill="#b3261e" stroke="#ffffff" stroke-width="2"/>
          </a>
        </xsl:for-each>
      </svg>
      <figcaption><xsl:value-of select="ln:t('labs.map.attribution')"/></figcaption>
    </figure>
    <h2 id="labs-map-list"><xsl:value-of select="ln:t('labs.map.list')"/></h2>
    <ul class="labs-map-list">
      <xsl:for-each select="lab">
        <li>
          <a href="{ln:url(concat('/labs/', @slug))}"><xsl:value-of select="name"/></a>
          <xsl:text> · </xsl:text>
          <xsl:if test="normalize-space(city) != ''">
            <xsl:value-of select="city"/>
            <xsl:text>, </xsl:text>
          </xsl:if>
          <xsl:value-of select="country"/>
          <xsl:if test="not(position/@x)">
            <xsl:text> (</xsl:text>
            <xsl:value-of select="ln:t('labs.map.outside')"/>
            <xsl:text>)</xsl:text>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

</xsl:stylesheet>
