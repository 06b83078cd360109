<?xml version="1.0" encoding="UTF-8"?>
<!--
  layout.xsl - the site layout: the page frame every HTML view imports.

  THE VIEW CONTRACT (what the core guarantees to every XSLT view)

  1. A view is an XSLT 1.0 stylesheet, compiled once at start-up, that
     imports this layout first:

         <xsl:stylesheet version="1.0"
             xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
             xmlns:ln="urn:labnet:xslt" exclude-result-prefixes="ln">
           <xsl:import href="labnet:layout.xsl"/>

     The core resolves the labnet: scheme to core/views/. Views read no
     other files: XSLT runs with file and network access forbidden, so
     document() and xsl:include/import of anything else fail.

  2. The input is the handler's XML document. This layout matches "/" and
     builds the whole page; a view supplies, for its root element:
       - a template in the default mode: the page content, put inside
         <main id="main">. Give it one <h1>.
       - optionally a template in mode "title": the page title, to which
         the layout appends " · Labnet" (default: the site name alone);
       - optionally a template in mode "head": extra elements for <head>
         (meta description, Open Graph, ...); default: nothing.

  3. Extension functions, namespace urn:labnet:xslt (prefix ln):
       ln:t('key')              the message in the request's language,
                                else English, else the key itself;
       ln:t('key', a1, a2 ...)  the same with {1}, {2} ... replaced by the
                                arguments, each converted as by string()
                                (so a node-set gives its first node's text);
                                "{{" in a message is a literal "{";
       ln:url('/path')          an absolute URL of a local path in the
                                request's language:
                                base_url + '/' + lang + path;
       ln:csrf()                the session's CSRF token. Every form that
                                POSTs carries it, and nothing else is
                                needed (the core checks it):
                                <input type="hidden" name="csrf"
                                    value="{ln:csrf()}"/>
                                Calling it makes the page private and
                                never cached.
     Keys must be string literals, so tools/check-messages can verify that
     every catalog has them. The one dynamic family allowed is
     concat('error.', $status, '.title' | '.text') in error.xsl.

  4. Global parameters (strings) the core passes to every transform:
       ln-lang    the request's language: en it lt pl fr nl fi
       ln-base    base_url, without a trailing slash; may carry a path
                  prefix (https://example.org/labnet)
       ln-path    the path without the language prefix, always starting
                  with '/' ('/', '/hello/world')
       ln-query   the raw query string without '?', possibly empty
       ln-status  the HTTP status, '200', '404' ...
       ln-user    the signed-in user's display name, '' for a visitor
       ln-role    the signed-in user's role: admin, editor, or ''
       ln-plugins the loaded plugins' names, each between spaces
                  (' core hello labs '): test with contains($ln-plugins,
                  ' labs ') to show what exists and nothing that does not
     Views may read them ($ln-lang ...) but must not redeclare them.

  5. Output: xsl:output method html, UTF-8, no doctype: the core writes
     <!DOCTYPE html> itself. The Content-Security-Policy forbids inline
     script and inline style, so no <script>, no <style>, no style="" and
     no on*="" attributes anywhere; all styling is in static/labnet.css.

  6. Escaping is the serializer's: never disable-output-escaping.

  THE SLOT CONTRACT (what a slot filler may put into another plugin's page)

  A page that offers a slot puts it in its XML, filled by the core:

      <slot name="lab.sidebar">
        <part plugin="events"> ...vocabulary... </part>
        <part plugin="library"> ... </part>
      </slot>

  and its view renders it with <xsl:apply-templates select="slot"/> (or
  select="slot[@name='lab.sidebar']") wherever it wants it. Each part with
  content becomes <section class="slot-part" data-plugin="events">, all of
  them inside <div class="slot" data-slot="lab.sidebar">; a slot without
  any part with content renders nothing. Inside a part, only this
  vocabulary is rendered; any other element is dropped silently:

      <heading>text</heading>        an h2 (the section is labelled by it)
      <p>inline</p>                  a paragraph
      <link href="...">text</link>   a link; directly in a part it stands
                                     in a paragraph of its own
      <list><item>inline</item>...</list>   a bulleted list

  where "inline" is text and <link> elements. A link's href is either a
  local path ("/events/2025-05-kaunas-demo-day", made absolute in the
  page's language by ln:url) or an absolute http:// or https:// URL; any
  other href (javascript:, //host, relative) renders the text without a
  link. Fillers write text in the request's language (ln_msg()).
  The element names slot and part are reserved for this in every page.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    xmlns:str="http://exslt.org/strings"
    exclude-result-prefixes="ln str">

  <xsl:output method="html" encoding="UTF-8" indent="no"/>

  <xsl:param name="ln-lang" select="'en'"/>
  <xsl:param name="ln-base" select="''"/>
  <xsl:param name="ln-path" select="'/'"/>
  <xsl:param name="ln-query" select="''"/>
  <xsl:param name="ln-status" select="'200'"/>
  <xsl:param name="ln-user" select="''"/>
  <xsl:param name="ln-role" select="''"/>
  <xsl:param name="ln-plugins" select="' '"/>

  <!-- This page without its language prefix: path plus query ('?' only
       when there is a query). A string, not a result tree fragment: it
       is read 20 times a page, and a fragment is turned into a string
       again at each reading. -->
  <xsl:variable name="ln-here"
      select="concat($ln-path, substring('?', 1, string-length($ln-query)), $ln-query)"/>
  <!-- The same, escaped for the language switcher's next= (once a page,
       not once per language). -->
  <xsl:variable name="ln-here-uri" select="str:encode-uri($ln-here, true())"/>

  <!-- ============================================================ page -->

  <xsl:template match="/">
    <xsl:variable name="site" select="ln:t('site.name')"/>
    <xsl:variable name="page-title">
      <xsl:apply-templates select="/*" mode="title"/>
    </xsl:variable>
    <html lang="{$ln-lang}">
      <head>
        <!-- The http-equiv form, not <meta charset>: libxslt's HTML
             serializer adds this one unless it finds it, and a page with
             both is not valid HTML5. -->
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>
          <xsl:value-of select="normalize-space($page-title)"/>
          <xsl:if test="normalize-space($page-title) != $site">
            <xsl:value-of select="concat(' · ', $site)"/>
          </xsl:if>
        </title>
        <link rel="stylesheet" href="{$ln-base}/static/labnet.css"/>
        <link rel="icon" type="image/svg+xml" href="{$ln-base}/static/favicon.svg"/>
        <link rel="canonical" href="{$ln-base}/{$ln-lang}{$ln-here}"/>
        <xsl:call-template name="ln-languages">
          <xsl:with-param name="as" select="'alternate'"/>
        </xsl:call-template>
        <link rel="alternate" hreflang="x-default"
            href="{$ln-base}{$ln-here}"/>
        <xsl:apply-templates select="/*" mode="head"/>
      </head>
      <body>
        <a class="skip-link" href="#main">
          <xsl:value-of select="ln:t('skip.main')"/>
        </a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-brand" href="{ln:url('/')}" rel="home">
              <span class="site-name"><xsl:value-of select="$site"/></span>
              <xsl:text> </xsl:text>
              <span class="site-tagline">
                <xsl:value-of select="ln:t('site.tagline')"/>
              </span>
            </a>
            <nav class="site-nav" aria-label="{ln:t('nav.label')}">
              <ul>
                <!-- A section appears once its plugin is loaded. -->
                <xsl:if test="contains($ln-plugins, ' labs ')">
                  <xsl:call-template name="ln-nav-item">
                    <xsl:with-param name="path" select="'/labs'"/>
                    <xsl:with-param name="label" select="ln:t('nav.labs')"/>
                  </xsl:call-template>
                </xsl:if>
                <xsl:if test="contains($ln-plugins, ' library ')">
                  <xsl:call-template name="ln-nav-item">
                    <xsl:with-param name="path" select="'/resources'"/>
                    <xsl:with-param name="label" select="ln:t('nav.resources')"/>
                  </xsl:call-template>
                </xsl:if>
                <xsl:if test="contains($ln-plugins, ' events ')">
                  <xsl:call-template name="ln-nav-item">
                    <xsl:with-param name="path" select="'/events'"/>
                    <xsl:with-param name="label" select="ln:t('nav.events')"/>
                  </xsl:call-template>
                </xsl:if>
              </ul>
            </nav>
            <nav class="account-nav" aria-label="{ln:t('account.nav.label')}">
              <ul>
                <xsl:choose>
                  <xsl:when test="$ln-user != ''">
                    <li><a href="{ln:url('/account')}"><xsl:value-of select="$ln-user"/></a></li>
                    <xsl:if test="$ln-role = 'admin'">
                      <li><a href="{ln:url('/admin/users')}"><xsl:value-of select="ln:t('account.nav.admin')"/></a></li>
                    </xsl:if>
                    <li>
                      <form method="post" action="{ln:url('/sign-out')}" class="inline-form">
                        <input type="hidden" name="csrf" value="{ln:csrf()}"/>
                        <button type="submit"><xsl:value-of select="ln:t('account.sign-out')"/></button>
                      </form>
                    </li>
                  </xsl:when>
                  <xsl:otherwise>
                    <li><a href="{ln:url('/sign-in')}"><xsl:value-of select="ln:t('account.sign-in')"/></a></li>
                  </xsl:otherwise>
                </xsl:choose>
              </ul>
            </nav>
            <nav class="lang-switcher" aria-label="{ln:t('lang.switcher')}">
              <ul>
                <xsl:call-template name="ln-languages">
                  <xsl:with-param name="as" select="'switcher'"/>
                </xsl:call-template>
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" tabindex="-1">
          <xsl:apply-templates select="/*"/>
        </main>
        <footer class="site-footer">
          <p><xsl:value-of select="ln:t('footer.network')"/></p>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- Defaults for views that do not define these modes. -->
  <xsl:template match="*" mode="title">
    <xsl:value-of select="ln:t('site.name')"/>
  </xsl:template>
  <xsl:template match="*" mode="head"/>

  <!-- A main navigation entry; aria-current on the section we are in. -->
  <xsl:template name="ln-nav-item">
    <xsl:param name="path"/>
    <xsl:param name="label"/>
    <li>
      <a href="{ln:url($path)}">
        <xsl:choose>
          <xsl:when test="$ln-path = $path">
            <xsl:attribute name="aria-current">page</xsl:attribute>
          </xsl:when>
          <xsl:when test="starts-with($ln-path, concat($path, '/'))">
            <xsl:attribute name="aria-current">true</xsl:attribute>
          </xsl:when>
        </xsl:choose>
        <xsl:value-of select="$label"/>
      </a>
    </li>
  </xsl:template>

  <!-- The site's languages, in switcher order (as core/i18n.c lists them),
       each with its autonym: as="alternate" gives the hreflang links of
       <head>, as="switcher" the items of the language switcher. Written
       out rather than one call-template per language: seven calls with
       three parameters each, twice a page, were a fifth of a small
       page's transform. -->
  <xsl:template name="ln-languages">
    <xsl:param name="as"/>
    <xsl:choose>
      <xsl:when test="$as = 'alternate'">
        <link rel="alternate" hreflang="en" href="{$ln-base}/en{$ln-here}"/>
        <link rel="alternate" hreflang="it" href="{$ln-base}/it{$ln-here}"/>
        <link rel="alternate" hreflang="lt" href="{$ln-base}/lt{$ln-here}"/>
        <link rel="alternate" hreflang="pl" href="{$ln-base}/pl{$ln-here}"/>
        <link rel="alternate" hreflang="fr" href="{$ln-base}/fr{$ln-here}"/>
        <link rel="alternate" hreflang="nl" href="{$ln-base}/nl{$ln-here}"/>
        <link rel="alternate" hreflang="fi" href="{$ln-base}/fi{$ln-here}"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- Through /-/lang/: the choice is remembered (a cookie), so
             unprefixed addresses keep this language afterwards. -->
        <li><a href="{$ln-base}/-/lang/en?next={$ln-here-uri}" lang="en" hreflang="en">
            <xsl:if test="$ln-lang = 'en'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>English</a></li>
        <li><a href="{$ln-base}/-/lang/it?next={$ln-here-uri}" lang="it" hreflang="it">
            <xsl:if test="$ln-lang = 'it'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Italiano</a></li>
        <li><a href="{$ln-base}/-/lang/lt?next={$ln-here-uri}" lang="lt" hreflang="lt">
            <xsl:if test="$ln-lang = 'lt'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Lietuvių</a></li>
        <li><a href="{$ln-base}/-/lang/pl?next={$ln-here-uri}" lang="pl" hreflang="pl">
            <xsl:if test="$ln-lang = 'pl'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Polski</a></li>
        <li><a href="{$ln-base}/-/lang/fr?next={$ln-here-uri}" lang="fr" hreflang="fr">
            <xsl:if test="$ln-lang = 'fr'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Français</a></li>
        <li><a href="{$ln-base}/-/lang/nl?next={$ln-here-uri}" lang="nl" hreflang="nl">
            <xsl:if test="$ln-lang = 'nl'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Nederlands</a></li>
        <li><a href="{$ln-base}/-/lang/fi?next={$ln-here-uri}" lang="fi" hreflang="fi">
            <xsl:if test="$ln-lang = 'fi'"><xsl:attribute name="aria-current">true</xsl:attribute></xsl:if>Suomi</a></li>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- =========================================================== slots -->

  <xsl:template match="slot">
    <xsl:if test="part[*]">
      <div class="slot" data-slot="{@name}">
        <xsl:apply-templates select="part[*]" mode="ln-slot"/>
      </div>
    </xsl:if>
  </xsl:template>

  <xsl:template match="part" mode="ln-slot">
    <section class="slot-part" data-plugin="{@plugin}">
      <xsl:if test="heading">
        <xsl:attribute name="aria-labelledby">
          <xsl:value-of select="generate-id(heading[1])"/>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates select="*" mode="ln-slot"/>
    </section>
  </xsl:template>

  <xsl:template match="heading" mode="ln-slot">
    <h2 id="{generate-id()}"><xsl:value-of select="."/></h2>
  </xsl:template>

  <xsl:template match="p" mode="ln-slot">
    <p><xsl:apply-templates select="text() | link" mode="ln-inline"/></p>
  </xsl:template>

  <xsl:template match="link" mode="ln-slot">
    <p><xsl:apply-templates select="." mode="ln-inline"/></p>
  </xsl:template>

  <xsl:template match="list" mode="ln-slot">
    <xsl:if test="item">
      <ul>
        <xsl:for-each select="item">
          <li>
            <xsl:apply-templates select="text() | link" mode="ln-inline"/>
          </li>
        </xsl:for-each>
      </ul>
    </xsl:if>
  </xsl:template>

  <!-- Anything else in a part is not part of the vocabulary. -->
  <xsl:template match="*" mode="ln-slot"/>

  <xsl:template match="link" mode="ln-inline">
    <xsl:variable name="href" select="normalize-space(@href)"/>
    <xsl:choose>
      <xsl:when test="starts-with($href, '/') and
          not(starts-with($href, '//'))">
        <a href="{ln:url($href)}"><xsl:value-of select="."/></a>
      </xsl:when>
      <xsl:when test="starts-with($href, 'https://') or
          starts-with($href, 'http://')">
        <a href="{$href}"><xsl:value-of select="."/></a>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="."/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
