// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "brief.h"

#include "core/brief/briefutil_p.h"

namespace brieflow {

namespace {

struct TextFieldSpec {
    QLatin1String field;
    QString Brief::*member;
    bool required;
    bool multiLine;
    int maxLength;
};

// The free-text fields in display order, with their limits. The limits leave room for a real
// brief while keeping the prompts the pipeline builds from them short and cheap.
const TextFieldSpec textFields[] = {
    {BriefField::ProductName, &Brief::productName, true, false, 80},
    {BriefField::Audience, &Brief::audience, true, true, 300},
    {BriefField::ValueProposition, &Brief::valueProposition, true, true, 600},
    {BriefField::Tone, &Brief::tone, false, false, 80},
    {BriefField::BrandNotes, &Brief::brandNotes, false, true, 1000},
};

const TextFieldSpec *textFieldSpec(const QString &field)
{
    for (const TextFieldSpec &spec : textFields) {
        if (spec.field == field)
            return &spec;
    }
    return nullptr;
}

// Whitespace and invisible characters that are trimmed from both ends: QChar::isSpace() covers
// tabs, line breaks, no-break spaces and the other Unicode spaces; the rest are zero-width.
bool isTrimmable(QChar c)
{
    switch (c.unicode()) {
    case 0x00AD: // soft hyphen
    case 0x180E: // Mongolian vowel separator
    case 0x200B: // zero-width space
    case 0x200C: // zero-width non-joiner
    case 0x200D: // zero-width joiner
    case 0x2060: // word joiner
    case 0xFEFF: // zero-width no-break space (BOM)
        return true;
    default:
        return c.isSpace();
    }
}

QString trimmedText(const QString &text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isTrimmable(text.at(begin)))
        ++begin;
    while (end > begin && isTrimmable(text.at(end - 1)))
        --end;
    return text.sliced(begin, end - begin);
}

bool isLineBreak(char32_t c)
{
    return c == U'\n' || c == U'\r' || c == 0x2028 || c == 0x2029;
}

bool isControl(char32_t c)
{
    return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

void checkText(BriefIssues &issues, const TextFieldSpec &spec, const QString &value)
{
    const QString field = spec.field;
    const QString label = briefFieldLabel(field);
    if (value.isEmpty()) {
        if (spec.required)
            issues.append({field, QStringLiteral("%1 is required.").arg(label)});
        return;
    }

    bool lineBreak = false;
    bool tab = false;
    int controls = 0;
    char32_t firstControl = 0;
    int firstControlAt = 0;
    int brokenAt = 0;
    int position = 0; // in characters (code points), 1-based once incremented
    for (qsizetype i = 0; i < value.size(); ++i) {
        ++position;
        const QChar c = value.at(i);
        if (c.isHighSurrogate() && i + 1 < value.size() && value.at(i + 1).isLowSurrogate()) {
            ++i; // a valid pair: one character, never a control
            continue;
        }
        if (c.isSurrogate()) {
            if (brokenAt == 0)
                brokenAt = position;
            continue;
        }
        const char32_t u = c.unicode();
        if (!spec.multiLine && isLineBreak(u)) {
            lineBreak = true;
        } else if (!spec.multiLine && u == U'\t') {
            tab = true;
        } else if (isControl(u) && u != U'\n' && u != U'\t') {
            if (controls++ == 0) {
                firstControl = u;
                firstControlAt = position;
            }
        }
    }

    if (lineBreak)
        issues.append(
            {field, QStringLiteral("%1 must be on one line — remove the line break.").arg(label)});
    if (tab)
        issues.append(
            {field, QStringLiteral("%1 contains a tab — replace it with a space.").arg(label)});
    if (controls == 1) {
        issues.append({field, QStringLiteral("%1 contains an invisible control character (%2) at "
                                             "character %3 — remove it.")
                                  .arg(label, briefutil::codePointName(firstControl))
                                  .arg(firstControlAt)});
    } else if (controls > 1) {
        issues.append({field, QStringLiteral("%1 contains %2 invisible control characters, the "
                                             "first (%3) at character %4 — remove them.")
                                  .arg(label)
                                  .arg(controls)
                                  .arg(briefutil::codePointName(firstControl))
                                  .arg(firstControlAt)});
    }
    if (brokenAt > 0)
        issues.append({field, QStringLiteral("%1 contains a broken character (half of an emoji or "
                                             "symbol) at character %2 — retype it.")
                                  .arg(label)
                                  .arg(brokenAt)});

    const int length = briefTextLength(value);
    if (length > spec.maxLength)
        issues.append({field, QStringLiteral("%1 is too long: %2 characters, the limit is %3.")
                                  .arg(label)
                                  .arg(length)
                                  .arg(spec.maxLength)});
}

// "16x9", "16/9", "16 : 9" → "16:9" when that is allowed; used only for the hint.
QString aspectRatioSuggestion(const QString &value)
{
    QString guess;
    for (const QChar c : value) {
        if (c.isDigit())
            guess += c;
        else if (c == QLatin1Char(':') || c == QLatin1Char('x') || c == QLatin1Char('X')
                 || c == QLatin1Char('/') || c == QChar(0x00D7) || c == QLatin1Char('-'))
            guess += QLatin1Char(':');
        else if (!c.isSpace())
            return {};
    }
    return guess != value && allowedAspectRatios().contains(guess) ? guess : QString();
}

QString formatSuggestion(const QString &value)
{
    QString guess = value;
    if (guess.startsWith(QLatin1Char('.')))
        guess.remove(0, 1);
    if (guess == QLatin1String("jpeg"))
        guess = QStringLiteral("jpg");
    return guess != value && allowedOutputFormats().contains(guess) ? guess : QString();
}

} // namespace

QStringList briefFields()
{
    return {BriefField::ProductName, BriefField::Audience,    BriefField::ValueProposition,
            BriefField::Tone,        BriefField::BrandNotes,  BriefField::AspectRatio,
            BriefField::ImageCount,  BriefField::OutputFormat};
}

QString briefFieldLabel(const QString &field)
{
    if (field == BriefField::ProductName)
        return QStringLiteral("Product name");
    if (field == BriefField::Audience)
        return QStringLiteral("Audience");
    if (field == BriefField::ValueProposition)
        return QStringLiteral("Value proposition");
    if (field == BriefField::Tone)
        return QStringLiteral("Tone");
    if (field == BriefField::BrandNotes)
        return QStringLiteral("Brand notes");
    if (field == BriefField::Image)
        return QStringLiteral("Image options");
    if (field == BriefField::AspectRatio)
        return QStringLiteral("Aspect ratio");
    if (field == BriefField::ImageCount)
        return QStringLiteral("Number of images");
    if (field == BriefField::OutputFormat)
        return QStringLiteral("Image format");
    return field;
}

int briefFieldMaxLength(const QString &field)
{
    const TextFieldSpec *spec = textFieldSpec(field);
    return spec ? spec->maxLength : 0;
}

bool isMultiLineBriefField(const QString &field)
{
    const TextFieldSpec *spec = textFieldSpec(field);
    return spec && spec->multiLine;
}

int briefTextLength(const QString &text)
{
    qsizetype length = text.size();
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i).isHighSurrogate() && text.at(i + 1).isLowSurrogate()) {
            --length;
            ++i;
        }
    }
    return static_cast<int>(length);
}

QStringList allowedAspectRatios()
{
    return {QStringLiteral("1:1"),  QStringLiteral("16:9"), QStringLiteral("21:9"),
            QStringLiteral("3:2"),  QStringLiteral("2:3"),  QStringLiteral("4:5"),
            QStringLiteral("5:4"),  QStringLiteral("3:4"),  QStringLiteral("4:3"),
            QStringLiteral("9:16"), QStringLiteral("9:21")};
}

QStringList allowedOutputFormats()
{
    return {QStringLiteral("webp"), QStringLiteral("jpg"), QStringLiteral("png")};
}

Brief normalizedBrief(Brief brief)
{
    for (const TextFieldSpec &spec : textFields) {
        QString &text = brief.*spec.member;
        if (spec.multiLine && text.contains(QLatin1Char('\r'))) {
            text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
            text.replace(QLatin1Char('\r'), QLatin1Char('\n'));
        }
        text = trimmedText(text);
    }

    const ImageOptions defaults;
    brief.image.aspectRatio = trimmedText(brief.image.aspectRatio);
    if (brief.image.aspectRatio.isEmpty())
        brief.image.aspectRatio = defaults.aspectRatio;
    brief.image.outputFormat = trimmedText(brief.image.outputFormat).toLower();
    if (brief.image.outputFormat.isEmpty())
        brief.image.outputFormat = defaults.outputFormat;
    else if (brief.image.outputFormat == QLatin1String("jpeg"))
        brief.image.outputFormat = QStringLiteral("jpg");
    return brief;
}

BriefIssues validateBrief(const Brief &brief)
{
    const Brief normal = normalizedBrief(brief);
    BriefIssues issues;
    for (const TextFieldSpec &spec : textFields)
        checkText(issues, spec, normal.*spec.member);

    const QString &ratio = normal.image.aspectRatio;
    if (!allowedAspectRatios().contains(ratio)) {
        issues.append({BriefField::AspectRatio,
                       QStringLiteral("Aspect ratio must be one of %1; got %2.%3")
                           .arg(allowedAspectRatios().join(QLatin1String(", ")),
                                briefutil::quotedValue(ratio),
                                briefutil::didYouMean(aspectRatioSuggestion(ratio)))});
    }
    const int count = normal.image.count;
    if (count < MinImageCount || count > MaxImageCount) {
        issues.append({BriefField::ImageCount,
                       QStringLiteral("Number of images must be from %1 to %2; got %3.")
                           .arg(MinImageCount)
                           .arg(MaxImageCount)
                           .arg(count)});
    }
    const QString &format = normal.image.outputFormat;
    if (!allowedOutputFormats().contains(format)) {
        issues.append(
            {BriefField::OutputFormat, QStringLiteral("Image format must be one of %1; got %2.%3")
                                           .arg(allowedOutputFormats().join(QLatin1String(", ")),
                                                briefutil::quotedValue(format),
                                                briefutil::didYouMean(formatSuggestion(format)))});
    }
    return issues;
}

} // namespace brieflow
