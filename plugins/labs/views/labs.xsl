<?xml version="1.0" encoding="UTF-8"?>
<!--
  labs.xsl - the lab directory (GET /labs): search, facets, one page of
  labs, the next page, the downloads.

  Input (plugins/labs/list.c; schema/labs.rng describes it exactly):

      <labs total="12">
        <query><q>text</q><country>IT</country>... <sort>name</sort></query>
        <facets>
          <facet name="country">
            <value key="IT" count="2" selected="true">Italy</value> ...
          </facet> ... (country, kind, discipline, facility)
        </facets>
        <lab id="1" slug="x"> name, institution, kind key=, country code=,
          city, position lat= lon=, disciplines/term key=,
          facilities/term key=, website, updated </lab> ...
        <next after="17" href="/labs?...&amp;after=17"/>
      </labs>

  The filters are a GET form of checkboxes, so they work without script
  and land in the URL; OR within a facet, AND across, as the counts say.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="labs" mode="title">
    <xsl:value-of select="ln:t('labs.title')"/>
  </xsl:template>

  <xsl:template match="labs" mode="head">
    <meta name="description" content="{ln:t('labs.intro')}"/>
    <link rel="alternate" type="text/csv" href="{ln:url('/labs.csv')}"/>
    <link rel="alternate" type="application/geo+json" href="{ln:url('/labs.geojson')}"/>
  </xsl:template>

  <xsl:template match="labs">
    <h1><xsl:value-of select="ln:t('labs.title')"/></h1>
    <p><xsl:value-of select="ln:t('labs.intro')"/>
      <xsl:text> </xsl:text>
      <a href="{ln:url('/labs/map')}"><xsl:value-of select="ln:t('labs.map.link')"/></a>
    </p>
    <form class="labs-search" method="get" action="{ln:url('/labs')}" role="search">
      <p>
        <label for="labs-q"><xsl:value-of select="ln:t('labs.search.label')"/></label>
        <xsl:text> </xsl:text>
        <input type="search" id="labs-q" name="q" value="{query/q}" maxlength="200"/>
        <xsl:text> </xsl:text>
        <label for="labs-sort"><xsl:value-of select="ln:t('labs.sort.label')"/></label>
        <xsl:text> </xsl:text>
        <select id="labs-sort" name="sort">
          <option value="name">
            <xsl:if test="query/sort = 'name'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="ln:t('labs.sort.name')"/>
          </option>
          <option value="newest">
            <xsl:if test="query/sort = 'newest'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="ln:t('labs.sort.newest')"/>
          </option>
        </select>
        <xsl:text> </xsl:text>
        <button type="submit"><xsl:value-of select="ln:t('labs.search.submit')"/></button>
      </p>
      <div class="labs-facets">
        <xsl:apply-templates select="facets/facet"/>
      </div>
      <p>
        <button type="submit"><xsl:value-of select="ln:t('labs.filters.apply')"/></button>
        <xsl:text> </xsl:text>
        <a href="{ln:url('/labs')}"><xsl:value-of select="ln:t('labs.filters.clear')"/></a>
      </p>
    </form>

    <section class="labs-results" aria-labelledby="labs-results-heading">
      <h2 id="labs-results-heading">
        <xsl:value-of select="ln:t('labs.count', @total)"/>
      </h2>
      <xsl:choose>
        <xsl:when test="lab">
          <ul class="labs-list">
            <xsl:apply-templates select="lab"/>
          </ul>
        </xsl:when>
        <xsl:otherwise>
          <p><xsl:value-of select="ln:t('labs.none')"/></p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="next or contains(concat('&amp;', $ln-query), '&amp;after=')">
        <nav class="labs-pages" aria-label="{ln:t('labs.pages')}">
          <ul>
            <xsl:if test="contains(concat('&amp;', $ln-query), '&amp;after=')">
              <li><a href="{ln:url('/labs')}"><xsl:value-of select="ln:t('labs.first')"/></a></li>
            </xsl:if>
            <xsl:if test="next">
              <li><a rel="next" href="{ln:url(next/@href)}"><xsl:value-of select="ln:t('labs.next')"/></a></li>
            </xsl:if>
          </ul>
        </nav>
      </xsl:if>
      <p class="labs-downloads">
        <xsl:value-of select="ln:t('labs.download')"/>
        <xsl:text> </xsl:text>
        <a type="text/csv" href="{ln:url('/labs.csv')}{substring('?', 1, string-length($ln-query))}{$ln-query}">CSV</a>
        <xsl:text> · </xsl:text>
        <a type="application/geo+json" href="{ln:url('/labs.geojson')}{substring('?', 1, string-length($ln-query))}{$ln-query}">GeoJSON</a>
        <xsl:text> · </xsl:text>
        <a type="application/xml" href="{ln:url('/labs.xml')}{substring('?', 1, string-length($ln-query))}{$ln-query}">XML</a>
      </p>
    </section>
  </xsl:template>

  <!-- One facet: a group of checkboxes, each with its count. -->
  <xsl:template match="facet">
    <xsl:if test="value">
      <fieldset class="labs-facet">
        <legend>
          <xsl:choose>
            <xsl:when test="@name = 'country'"><xsl:value-of select="ln:t('labs.facet.country')"/></xsl:when>
            <xsl:when test="@name = 'kind'"><xsl:value-of select="ln:t('labs.facet.kind')"/></xsl:when>
            <xsl:when test="@name = 'discipline'"><xsl:value-of select="ln:t('labs.facet.discipline')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="ln:t('labs.facet.facility')"/></xsl:otherwise>
          </xsl:choose>
        </legend>
        <!-- The facet's name, read once rather than through ../@name
             three times per value. -->
        <xsl:variable name="facet" select="string(@name)"/>
        <ul>
          <xsl:for-each select="value">
            <xsl:sort select="."/>
            <li>
              <input type="checkbox" name="{$facet}" value="{@key}"
                  id="facet-{$facet}-{@key}">
                <xsl:if test="@selected = 'true'">
                  <xsl:attribute name="checked">checked</xsl:attribute>
                </xsl:if>
              </input>
              <xsl:text> </xsl:text>
              <label for="facet-{$facet}-{@key}">
                <xsl:value-of select="."/>
                <xsl:text> </xsl:text>
                <span class="labs-count">(<xsl:value-of select="@count"/>)</span>
              </label>
            </li>
          </xsl:for-each>
        </ul>
      </fieldset>
    </xsl:if>
  </xsl:template>

  <!-- One lab in the list. -->
  <xsl:template match="lab">
    <li class="labs-item">
      <h3><a href="{ln:url(concat('/labs/', @slug))}"><xsl:value-of select="name"/></a></h3>
      <p>
        <xsl:if test="normalize-space(institution) != ''">
          <xsl:value-of select="institution"/>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:if test="normalize-space(city) != ''">
          <xsl:value-of select="city"/>
          <xsl:text>, </xsl:text>
        </xsl:if>
        <xsl:value-of select="country"/>
        <xsl:text> · </xsl:text>
        <xsl:value-of select="kind"/>
      </p>
      <xsl:if test="disciplines/term">
        <p class="labs-terms">
          <xsl:for-each select="disciplines/term">
            <xsl:if test="position() > 1">, </xsl:if>
            <xsl:value-of select="."/>
          </xsl:for-each>
        </p>
      </xsl:if>
    </li>
  </xsl:template>

</xsl:stylesheet>
