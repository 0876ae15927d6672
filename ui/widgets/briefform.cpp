// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "briefform.h"

#include <QComboBox>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include "core/brief/briefjson.h"
#include "fieldmessage.h"
#include "ui/queue/jobestimates.h"

namespace brieflow::ui {

namespace {

const QString productField = QLatin1String(BriefField::ProductName);
const QString audienceField = QLatin1String(BriefField::Audience);
const QString valueField = QLatin1String(BriefField::ValueProposition);
const QString toneField = QLatin1String(BriefField::Tone);
const QString notesField = QLatin1String(BriefField::BrandNotes);

// Counters appear once a field is this close to its limit, so they don't clutter the form.
constexpr double counterThreshold = 0.8;

} // namespace

BriefForm::BriefForm(QWidget *parent)
    : QWidget(parent)
    , m_revalidate(new QTimer(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 16, 16, 16);
    layout->setSpacing(4);

    auto *title = new QLabel(tr("Brief"), this);
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    title->setFont(titleFont);
    layout->addWidget(title);
    layout->addSpacing(8);

    addTextField(productField, tr("The product or offer, as customers know it."));
    addTextField(audienceField, tr("Who should this campaign speak to?"));
    addTextField(valueField, tr("Why would they care? One or two sentences."));
    addTextField(toneField, tr("Optional — e.g. energetic, calm, premium."));
    addTextField(notesField, tr("Optional — words to use or avoid, colours, legal lines."));

    // Image options
    auto *imageLabel = new QLabel(tr("Images"), this);
    QFont bold = imageLabel->font();
    bold.setBold(true);
    imageLabel->setFont(bold);
    layout->addSpacing(8);
    layout->addWidget(imageLabel);
    auto *imageRow = new QHBoxLayout;
    m_aspectRatio = new QComboBox(this);
    m_aspectRatio->addItems(allowedAspectRatios());
    m_aspectRatio->setAccessibleName(tr("Aspect ratio"));
    m_aspectRatio->setToolTip(tr("The shape of the images, width:height"));
    m_imageCount = new QSpinBox(this);
    m_imageCount->setRange(1, 4);
    m_imageCount->setSuffix(tr(" image(s)"));
    m_imageCount->setAccessibleName(tr("Number of images"));
    m_imageCount->setToolTip(tr("How many images to make for this brief"));
    m_outputFormat = new QComboBox(this);
    m_outputFormat->addItems(allowedOutputFormats());
    m_outputFormat->setAccessibleName(tr("Image format"));
    m_outputFormat->setToolTip(tr("The file format of the images"));
    imageRow->addWidget(m_aspectRatio);
    imageRow->addWidget(m_imageCount);
    imageRow->addWidget(m_outputFormat);
    imageRow->addStretch();
    layout->addLayout(imageRow);
    m_imageMessage =
        new FieldMessage(tr("Aspect ratio, how many images, and their file format."), this);
    layout->addWidget(m_imageMessage);
    setBrief(Brief());

    layout->addSpacing(16);
    auto *buttons = new QHBoxLayout;
    m_generate =
        new QPushButton(QIcon(QStringLiteral(":/icons/generate.svg")), tr("Generate"), this);
    m_generate->setDefault(true);
    m_generate->setToolTip(tr("Queue this brief (Ctrl+Enter)"));
    m_generate->setAccessibleName(tr("Generate"));
    auto *example = new QPushButton(tr("Try an example"), this);
    example->setToolTip(tr("Fill the form with an example brief"));
    example->setAccessibleName(tr("Try an example"));
    buttons->addWidget(m_generate);
    buttons->addWidget(example);
    buttons->addStretch();
    layout->addLayout(buttons);
    // What this brief is likely to cost, under Generate (with setEstimates()).
    m_cost = new QLabel(this);
    m_cost->setWordWrap(true);
    m_cost->setAccessibleName(tr("Estimated cost"));
    QPalette quiet = m_cost->palette();
    quiet.setColor(QPalette::WindowText, quiet.color(QPalette::PlaceholderText));
    m_cost->setPalette(quiet);
    m_cost->hide();
    layout->addWidget(m_cost);
    auto *importRow = new QHBoxLayout;
    auto *import =
        new QPushButton(QIcon(QStringLiteral(":/icons/import-csv.svg")), tr("Import CSV…"), this);
    import->setFlat(true);
    import->setToolTip(tr("Queue a batch of briefs from a CSV file; you see every row and its "
                          "problems before anything is queued"));
    import->setAccessibleName(tr("Import CSV"));
    importRow->addWidget(import);
    importRow->addStretch();
    layout->addLayout(importRow);
    layout->addStretch();
    connect(import, &QPushButton::clicked, this, &BriefForm::importCsvRequested);

    connect(m_generate, &QPushButton::clicked, this, &BriefForm::submit);
    connect(example, &QPushButton::clicked, this, &BriefForm::loadExample);
    for (auto key : {Qt::CTRL | Qt::Key_Return, Qt::CTRL | Qt::Key_Enter}) {
        auto *shortcut = new QShortcut(QKeySequence(key), this);
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &BriefForm::submit);
        m_shortcuts << shortcut;
    }
    // Validate shortly after typing stops rather than on every keystroke.
    m_revalidate->setSingleShot(true);
    m_revalidate->setInterval(250);
    connect(m_revalidate, &QTimer::timeout, this, [this] { showProblems(false); });
}

void BriefForm::addTextField(const QString &field, const QString &hint)
{
    const bool multiLine = isMultiLineBriefField(field);
    auto *box = qobject_cast<QVBoxLayout *>(layout());
    auto *header = new QHBoxLayout;
    auto *label = new QLabel(briefFieldLabel(field), this);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    Field f;
    f.maxLength = briefFieldMaxLength(field);
    f.counter = new QLabel(this);
    f.counter->setVisible(false);
    header->addWidget(label);
    header->addStretch();
    header->addWidget(f.counter);
    box->addSpacing(8);
    box->addLayout(header);

    if (multiLine) {
        auto *edit = new QPlainTextEdit(this);
        edit->setTabChangesFocus(true);
        edit->setFixedHeight(edit->fontMetrics().lineSpacing() * 3 + 16);
        connect(edit, &QPlainTextEdit::textChanged, this, [this, field] { onEdited(field); });
        f.editor = edit;
    } else {
        auto *edit = new QLineEdit(this);
        connect(edit, &QLineEdit::textEdited, this, [this, field] { onEdited(field); });
        f.editor = edit;
    }
    label->setBuddy(f.editor);
    f.editor->setAccessibleName(briefFieldLabel(field));
    f.editor->setToolTip(hint);
    f.message = new FieldMessage(hint, this);
    box->addWidget(f.editor);
    box->addWidget(f.message);
    m_fields.insert(field, f);
    m_order << field;
}

QString BriefForm::text(const QString &field) const
{
    QWidget *editor = m_fields.value(field).editor;
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        return line->text();
    if (auto *plain = qobject_cast<QPlainTextEdit *>(editor))
        return plain->toPlainText();
    return {};
}

void BriefForm::setText(const QString &field, const QString &value)
{
    QWidget *editor = m_fields.value(field).editor;
    if (auto *line = qobject_cast<QLineEdit *>(editor))
        line->setText(value);
    else if (auto *plain = qobject_cast<QPlainTextEdit *>(editor))
        plain->setPlainText(value);
    updateCounter(field);
}

Brief BriefForm::brief() const
{
    Brief b;
    b.productName = text(productField);
    b.audience = text(audienceField);
    b.valueProposition = text(valueField);
    b.tone = text(toneField);
    b.brandNotes = text(notesField);
    b.image.aspectRatio = m_aspectRatio->currentText();
    b.image.count = m_imageCount->value();
    b.image.outputFormat = m_outputFormat->currentText();
    return b;
}

void BriefForm::setBrief(const Brief &b)
{
    setText(productField, b.productName);
    setText(audienceField, b.audience);
    setText(valueField, b.valueProposition);
    setText(toneField, b.tone);
    setText(notesField, b.brandNotes);
    m_aspectRatio->setCurrentIndex(std::max(0, m_aspectRatio->findText(b.image.aspectRatio)));
    m_imageCount->setValue(b.image.count);
    m_outputFormat->setCurrentIndex(std::max(0, m_outputFormat->findText(b.image.outputFormat)));
    for (Field &f : m_fields) {
        f.touched = false;
        f.message->showHint();
    }
    m_imageMessage->showHint();
}

void BriefForm::clear()
{
    setBrief(Brief());
}

QWidget *BriefForm::editor(const QString &field) const
{
    return m_fields.value(field).editor;
}

void BriefForm::setEstimates(JobEstimates *estimates)
{
    if (JobEstimates *old = m_estimates.data())
        disconnect(old, nullptr, this, nullptr);
    m_estimates = estimates;
    if (estimates) {
        connect(estimates, &JobEstimates::changed, this, &BriefForm::updateCostEstimate);
        connect(estimates, &JobEstimates::historyChanged, this, &BriefForm::updateCostEstimate);
        connect(m_imageCount, &QSpinBox::valueChanged, this, &BriefForm::updateCostEstimate,
                Qt::UniqueConnection);
    }
    updateCostEstimate();
}

void BriefForm::updateCostEstimate()
{
    JobEstimates *estimates = m_estimates.data();
    m_cost->setVisible(estimates != nullptr);
    if (!estimates)
        return;
    const int images = m_imageCount->value();
    const auto cost = estimates->estimateCost({brief()});
    if (!cost) {
        m_cost->setText(tr("No cost estimate yet — Brieflow needs a finished job with these "
                           "models first."));
    } else {
        m_cost->setText(
            images == 1
                ? tr("Estimated cost about %1 (1 image)").arg(formatUsd(*cost))
                : tr("Estimated cost about %1 (%2 images)").arg(formatUsd(*cost)).arg(images));
    }
    m_cost->setToolTip(tr("From the median run time of each step's model in finished jobs × its "
                          "price (Settings ▸ Cost). The image step counts once per image: "
                          "several images take longer to make."));
}

void BriefForm::setSubmitShortcutEnabled(bool enabled)
{
    for (QShortcut *shortcut : std::as_const(m_shortcuts))
        shortcut->setEnabled(enabled);
}

QHash<QString, QString> BriefForm::shownProblems() const
{
    QHash<QString, QString> problems;
    for (auto it = m_fields.cbegin(); it != m_fields.cend(); ++it) {
        if (it->message->hasProblem())
            problems.insert(it.key(), it->message->text());
    }
    if (m_imageMessage->hasProblem())
        problems.insert(QStringLiteral("image"), m_imageMessage->text());
    return problems;
}

void BriefForm::loadExample()
{
    QFile file(QStringLiteral(":/examples/brief.json"));
    if (!file.open(QIODevice::ReadOnly))
        return;
    auto parsed = briefFromJson(file.readAll());
    if (parsed)
        setBrief(parsed.value());
}

void BriefForm::onEdited(const QString &field)
{
    m_fields[field].touched = true;
    updateCounter(field);
    m_revalidate->start();
}

void BriefForm::updateCounter(const QString &field)
{
    const Field &f = m_fields[field];
    if (f.maxLength <= 0 || !f.counter)
        return;
    const int length = briefTextLength(text(field).trimmed());
    const bool show = length >= static_cast<int>(f.maxLength * counterThreshold);
    f.counter->setVisible(show);
    if (show)
        f.counter->setText(tr("%1 / %2").arg(length).arg(f.maxLength));
}

void BriefForm::showProblems(bool all)
{
    const BriefIssues issues = validateBrief(brief());
    QHash<QString, QString> byField;
    for (const BriefIssue &issue : issues) {
        if (!byField.contains(issue.field))
            byField.insert(issue.field, issue.message);
    }
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        if (all)
            it->touched = true;
        if (it->touched && byField.contains(it.key()))
            it->message->showProblem(byField.value(it.key()));
        else
            it->message->showHint();
    }
    QStringList imageProblems;
    for (auto it = byField.cbegin(); it != byField.cend(); ++it) {
        if (it.key().startsWith(QLatin1String("image")))
            imageProblems << it.value();
    }
    if (imageProblems.isEmpty())
        m_imageMessage->showHint();
    else
        m_imageMessage->showProblem(imageProblems.join(QLatin1Char(' ')));
}

void BriefForm::submit()
{
    m_revalidate->stop();
    showProblems(true);
    if (!validateBrief(brief()).isEmpty()) {
        // Put the cursor where the first problem is.
        for (const QString &field : std::as_const(m_order)) {
            const Field &f = m_fields[field];
            if (f.message && f.message->hasProblem()) {
                f.editor->setFocus(Qt::OtherFocusReason);
                break;
            }
        }
        return;
    }
    Q_EMIT submitted(normalizedBrief(brief()));
}

} // namespace brieflow::ui
