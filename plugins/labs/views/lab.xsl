<?xml version="1.0" encoding="UTF-8"?>
<!--
  lab.xsl - a lab's profile (GET /labs/{slug}).

  Input (plugins/labs/profile.c; schema/labs.rng):

      <lab-profile>
        <lab id="1" slug="x">
          name, institution, kind key=, country code=, city,
          position lat= lon= (optional), disciplines/term key=,
          facilities/term key=, website (optional), updated, address,
          email, phone (optional), description, equipment,
          languages/language code=, created,
          <slot name="lab.sidebar"> parts from other plugins </slot>
        </lab>
      </lab-profile>
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="lab-profile" mode="title">
    <xsl:value-of select="lab/name"/>
  </xsl:template>

  <xsl:template match="lab-profile" mode="head">
    <meta name="description" content="{normalize-space(substring(lab/description, 1, 200))}"/>
    <meta property="og:title" content="{lab/name}"/>
    <meta property="og:type" content="website"/>
    <meta property="og:url" content="{ln:url(concat('/labs/', lab/@slug))}"/>
  </xsl:template>

  <xsl:template match="lab-profile">
    <xsl:apply-templates select="lab"/>
  </xsl:template>

  <xsl:template match="lab">
    <p class="labs-back"><a href="{ln:url('/labs')}"><xsl:value-of select="ln:t('labs.profile.back')"/></a></p>
    <article class="lab-profile">
      <h1><xsl:value-of select="name"/></h1>
      <p class="lab-kind">
        <xsl:if test="normalize-space(institution) != ''">
          <xsl:value-of select="institution"/>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <xsl:value-of select="kind"/>
      </p>
      <div class="lab-columns">
        <div class="lab-main">
          <xsl:if test="normalize-space(description) != ''">
            <h2><xsl:value-of select="ln:t('labs.profile.about')"/></h2>
            <p class="lab-description"><xsl:value-of select="description"/></p>
          </xsl:if>
          <xsl:if test="disciplines/term">
            <h2><xsl:value-of select="ln:t('labs.profile.disciplines')"/></h2>
            <ul class="lab-disciplines">
              <xsl:for-each select="disciplines/term">
                <li><a href="{ln:url(concat('/labs?discipline=', @key))}"><xsl:value-of select="."/></a></li>
              </xsl:for-each>
            </ul>
          </xsl:if>
          <xsl:if test="facilities/term">
            <h2><xsl:value-of select="ln:t('labs.profile.facilities')"/></h2>
            <ul class="lab-facilities">
              <xsl:for-each select="facilities/term">
                <li><a href="{ln:url(concat('/labs?facility=', @key))}"><xsl:value-of select="."/></a></li>
              </xsl:for-each>
            </ul>
          </xsl:if>
          <xsl:if test="normalize-space(equipment) != ''">
            <h2><xsl:value-of select="ln:t('labs.profile.equipment')"/></h2>
            <p><xsl:value-of select="equipment"/></p>
          </xsl:if>
          <xsl:if test="languages/language">
            <h2><xsl:value-of select="ln:t('labs.profile.languages')"/></h2>
            <ul class="lab-languages">
              <xsl:for-each select="languages/language">
                <li lang="{@code}"><xsl:value-of select="."/></li>
              </xsl:for-each>
            </ul>
          </xsl:if>
        </div>
        <aside class="lab-aside">
          <h2><xsl:value-of select="ln:t('labs.profile.contact')"/></h2>
          <dl class="lab-contact">
            <dt><xsl:value-of select="ln:t('labs.profile.address')"/></dt>
            <dd>
              <xsl:if test="normalize-space(address) != ''">
                <xsl:value-of select="address"/><br/>
              </xsl:if>
              <xsl:if test="normalize-space(city) != ''">
                <xsl:value-of select="city"/>
                <xsl:text>, </xsl:text>
              </xsl:if>
              <xsl:value-of select="country"/>
            </dd>
            <xsl:if test="starts-with(website, 'https://') or starts-with(website, 'http://')">
              <dt><xsl:value-of select="ln:t('labs.profile.website')"/></dt>
              <dd><a href="{website}" rel="external"><xsl:value-of select="website"/></a></dd>
            </xsl:if>
            <xsl:if test="normalize-space(email) != ''">
              <dt><xsl:value-of select="ln:t('labs.profile.email')"/></dt>
              <dd><a href="mailto:{email}"><xsl:value-of select="email"/></a></dd>
            </xsl:if>
            <xsl:if test="normalize-space(phone) != ''">
              <dt><xsl:value-of select="ln:t('labs.profile.phone')"/></dt>
              <dd><a href="tel:{translate(phone, ' ()./-', '')}"><xsl:value-of select="phone"/></a></dd>
            </xsl:if>
          </dl>
          <xsl:if test="position">
            <h2><xsl:value-of select="ln:t('labs.profile.location')"/></h2>
            <p class="lab-position">
              <xsl:value-of select="ln:t('labs.profile.coordinates', position/@lat, position/@lon)"/>
            </p>
            <ul>
              <li><a href="{ln:url('/labs/map')}#lab-{@slug}"><xsl:value-of select="ln:t('labs.profile.onmap')"/></a></li>
              <li><a rel="external" href="https://www.openstreetmap.org/?mlat={position/@lat}&amp;mlon={position/@lon}#map=15/{position/@lat}/{position/@lon}"><xsl:value-of select="ln:t('labs.profile.osm')"/></a></li>
            </ul>
          </xsl:if>
          <xsl:apply-templates select="slot[@name = 'lab.sidebar']"/>
        </aside>
      </div>
      <p class="lab-updated"><xsl:value-of select="ln:t('labs.profile.updated', substring(updated, 1, 10))"/></p>
    </article>
  </xsl:template>

</xsl:stylesheet>
