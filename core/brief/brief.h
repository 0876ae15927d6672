// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace brieflow {

/**
 * One problem with a brief, in words a marketer understands. @c field is the JSON key of the
 * field concerned (see BriefField; "image.count" for nested keys, the unknown key itself for an
 * unknown field) or empty when the problem concerns the whole file or CSV row. @c message is a
 * complete sentence that names the field and says what to do.
 */
struct BriefIssue {
    QString field;
    QString message;

    friend bool operator==(const BriefIssue &, const BriefIssue &) = default;
};

/** Every problem found, in the order the fields appear in a brief. Empty means valid. */
using BriefIssues = QList<BriefIssue>;

/**
 * Field names: the keys of the brief's JSON form, also used as BriefIssue::field. The image
 * options are nested in an "image" object, so their names are dotted paths.
 */
namespace BriefField {
inline constexpr QLatin1String ProductName{"product_name"};
inline constexpr QLatin1String Audience{"audience"};
inline constexpr QLatin1String ValueProposition{"value_proposition"};
inline constexpr QLatin1String Tone{"tone"};
inline constexpr QLatin1String BrandNotes{"brand_notes"};
inline constexpr QLatin1String Image{"image"};
inline constexpr QLatin1String AspectRatio{"image.aspect_ratio"};
inline constexpr QLatin1String ImageCount{"image.count"};
inline constexpr QLatin1String OutputFormat{"image.output_format"};
} // namespace BriefField

/** All field names of a brief in display order (the image options last, "image" excluded). */
QStringList briefFields();

/**
 * The human label of a field for UIs and messages: "Product name" for "product_name",
 * "Number of images" for "image.count". Unknown names are returned unchanged.
 */
QString briefFieldLabel(const QString &field);

/**
 * The longest text a field accepts, in characters as counted by briefTextLength(), or 0 for
 * fields that are not free text (the image options). Limits: product name 80, audience 300,
 * value proposition 600, tone 80, brand notes 1000.
 */
int briefFieldMaxLength(const QString &field);

/**
 * True for the fields that may span several lines (audience, value proposition, brand notes).
 * Product name and tone must be one line without tabs.
 */
bool isMultiLineBriefField(const QString &field);

/**
 * The length of @p text as the brief limits count it: Unicode code points, so an emoji or an
 * accented letter counts as one, unlike QString::size() (UTF-16 units). A sequence such as a flag
 * or a family emoji counts as its parts. UIs showing a character counter should use this.
 */
int briefTextLength(const QString &text);

/**
 * Options for the image step. The allowed values are those of the default image model,
 * black-forest-labs/flux-schnell: see allowedAspectRatios() and allowedOutputFormats(); 1 to 4
 * images.
 */
struct ImageOptions {
    QString aspectRatio = QStringLiteral("1:1");
    int count = 1;
    QString outputFormat = QStringLiteral("png");

    friend bool operator==(const ImageOptions &, const ImageOptions &) = default;
};

inline constexpr int MinImageCount = 1;
inline constexpr int MaxImageCount = 4;

/**
 * A marketing brief: the input of the campaign pipeline. Product name, audience and value
 * proposition are required; tone and brand notes are optional. A plain value: validate it with
 * validateBrief(), read it with briefFromJson() or briefsFromCsv().
 */
struct Brief {
    QString productName;
    QString audience;
    QString valueProposition;
    QString tone;
    QString brandNotes;
    ImageOptions image;

    friend bool operator==(const Brief &, const Brief &) = default;
};

/** The aspect ratios the image model accepts, in the order to show them: "1:1", "16:9", … */
QStringList allowedAspectRatios();

/** The image formats the image model accepts: "webp", "jpg", "png". */
QStringList allowedOutputFormats();

/**
 * @p brief tidied the way validation sees it: text trimmed of leading and trailing whitespace
 * (including no-break and zero-width spaces, so a value of only those becomes empty), Windows line
 * breaks (CRLF, CR) in multi-line fields turned into "\n", an empty aspect ratio or format replaced
 * by the default, the format lowercased with "jpeg" accepted as "jpg". Nothing inside the text
 * changes.
 */
Brief normalizedBrief(Brief brief);

/**
 * Every problem with @p brief (normalised first), in field order; empty when it is valid.
 * Checks: required fields, length limits, line breaks and tabs in single-line fields, control
 * characters, broken characters, and the image options against the allowed values.
 */
BriefIssues validateBrief(const Brief &brief);

} // namespace brieflow
