// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "metadatapanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/store/jobstore.h"
#include "ui/gallery/galleryicons.h"
#include "ui/queue/jobstatusstyle.h"

namespace brieflow::ui {

namespace {

QPalette quietPalette(const QPalette &base)
{
    QPalette quiet = base;
    quiet.setColor(QPalette::WindowText, quiet.color(QPalette::PlaceholderText));
    return quiet;
}

QLabel *valueLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    return label;
}

QString formatNameOf(const QString &mime)
{
    if (mime == QStringLiteral("image/jpeg"))
        return QStringLiteral("JPEG");
    if (mime.startsWith(QStringLiteral("image/")))
        return mime.mid(6).toUpper();
    return mime;
}

/** Milliseconds between two times, or -1 when either is unknown or they are in reverse. */
qint64 span(const QDateTime &from, const QDateTime &to)
{
    if (!from.isValid() || !to.isValid())
        return -1;
    const qint64 ms = from.msecsTo(to);
    return ms >= 0 ? ms : -1;
}

} // namespace

QString formatBytes(qint64 bytes)
{
    const QLocale locale;
    if (bytes < 1000)
        return MetadataPanel::tr("%1 bytes").arg(bytes);
    if (bytes < 1000 * 1000)
        return MetadataPanel::tr("%1 KB").arg(
            locale.toString(static_cast<double>(bytes) / 1000.0, 'f', 0));
    return MetadataPanel::tr("%1 MB").arg(
        locale.toString(static_cast<double>(bytes) / 1e6, 'f', 1));
}

MetadataPanel::MetadataPanel(JobStore &reader, QWidget *parent)
    : QScrollArea(parent)
    , m_store(reader)
{
    setAccessibleName(tr("Image details"));
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumWidth(260);
    if (auto workflow = builtinWorkflow(defaultWorkflowId()))
        m_workflow = std::move(workflow).value();

    m_page = new QWidget(this);
    m_layout = new QVBoxLayout(m_page);
    m_layout->setContentsMargins(16, 16, 16, 16);
    m_layout->setSpacing(8);

    m_error = new QLabel(m_page);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    m_layout->addWidget(m_error);

    m_details = new QWidget(m_page);
    m_detailsLayout = new QVBoxLayout(m_details);
    m_detailsLayout->setContentsMargins(0, 0, 0, 0);
    m_detailsLayout->setSpacing(8);
    m_layout->addWidget(m_details);
    m_layout->addStretch(1);

    const auto makeForm = [this] {
        auto *form = new QFormLayout;
        form->setContentsMargins(0, 0, 0, 8);
        form->setHorizontalSpacing(16);
        form->setVerticalSpacing(4);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        form->setRowWrapPolicy(QFormLayout::DontWrapRows);
        form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
        m_detailsLayout->addLayout(form);
        return form;
    };

    addHeading(tr("Brief"));
    m_briefForm = makeForm();
    addField(m_briefForm, QStringLiteral("product"), tr("Product"));
    addField(m_briefForm, QStringLiteral("audience"), tr("Audience"));
    addField(m_briefForm, QStringLiteral("value"), tr("Value proposition"));
    addField(m_briefForm, QStringLiteral("tone"), tr("Tone"));
    addField(m_briefForm, QStringLiteral("notes"), tr("Brand notes"));
    addField(m_briefForm, QStringLiteral("images"), tr("Image"));

    addTextBlock(QStringLiteral("concept"), tr("Concept"));
    addTextBlock(QStringLiteral("prompt"), tr("Image prompt"));

    addHeading(tr("Models"));
    m_modelsForm = makeForm();

    addHeading(tr("Generation"));
    m_otherForm = makeForm();
    addField(m_otherForm, QStringLiteral("seed"), tr("Seed"));
    addField(m_otherForm, QStringLiteral("queued"), tr("Queued"))
        ->setToolTip(tr("Time waiting in Brieflow's queue and at the provider before a model ran"));
    addField(m_otherForm, QStringLiteral("running"), tr("Running"))
        ->setToolTip(tr("Time the models spent on this image, all steps together"));
    addField(m_otherForm, QStringLiteral("total"), tr("Total"))
        ->setToolTip(tr("From the brief's submission to this image"));
    addField(m_otherForm, QStringLiteral("file"), tr("File"));
    addField(m_otherForm, QStringLiteral("cost"), tr("Cost"))
        ->setToolTip(tr("Replicate doesn't report a prediction's price through its API; Brieflow "
                        "shows a cost only when one is known."));

    QLabel *job = addField(m_otherForm, QStringLiteral("job"), tr("Job"));
    QFont mono = job->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    job->setFont(mono);
    auto *copyJob =
        new QPushButton(themedIcon(QStringLiteral("copy")), tr("Copy job id"), m_details);
    copyJob->setFlat(true);
    connect(copyJob, &QPushButton::clicked, this,
            [this] { copy(tr("Job id"), fieldText(QStringLiteral("job"))); });
    auto *copyRow = new QHBoxLayout;
    copyRow->addStretch(1);
    copyRow->addWidget(copyJob);
    m_detailsLayout->addLayout(copyRow);

    setWidget(m_page);
    clear();
}

MetadataPanel::~MetadataPanel() = default;

void MetadataPanel::addHeading(const QString &title)
{
    auto *heading = new QLabel(title, m_details);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    m_detailsLayout->addWidget(heading);
}

QLabel *MetadataPanel::addField(QFormLayout *form, const QString &key, const QString &label)
{
    auto *name = new QLabel(label, m_details);
    name->setPalette(quietPalette(name->palette()));
    QLabel *value = valueLabel(m_details);
    value->setAccessibleName(label);
    name->setBuddy(value);
    form->addRow(name, value);
    m_fields.insert(key, value);
    return value;
}

QLabel *MetadataPanel::addTextBlock(const QString &key, const QString &title)
{
    auto *heading = new QLabel(title, m_details);
    QFont font = heading->font();
    font.setBold(true);
    heading->setFont(font);
    auto *copyButton = new QPushButton(themedIcon(QStringLiteral("copy")), tr("Copy"), m_details);
    copyButton->setFlat(true);
    copyButton->setToolTip(tr("Copy the %1 to the clipboard").arg(title.toLower()));
    copyButton->setAccessibleName(tr("Copy %1").arg(title.toLower()));
    copyButton->setObjectName(QStringLiteral("copy-") + key);
    auto *row = new QHBoxLayout;
    row->addWidget(heading, 1);
    row->addWidget(copyButton);
    m_detailsLayout->addLayout(row);

    // Prose on a subtle card, in the normal font (ui.md).
    QLabel *text = valueLabel(m_details);
    text->setAccessibleName(title);
    text->setAutoFillBackground(true);
    QPalette card = text->palette();
    const QColor base = card.color(QPalette::Window);
    card.setColor(QPalette::Window, base.lightness() > 128 ? base.darker(104) : base.lighter(118));
    text->setPalette(card);
    text->setContentsMargins(8, 8, 8, 8);
    m_detailsLayout->addWidget(text);
    m_fields.insert(key, text);
    connect(copyButton, &QPushButton::clicked, this,
            [this, title, key] { copy(title, fieldText(key)); });
    return text;
}

void MetadataPanel::setField(const QString &key, const QString &value)
{
    if (QLabel *label = m_fields.value(key))
        label->setText(value);
}

QString MetadataPanel::fieldText(const QString &key) const
{
    const QLabel *label = m_fields.value(key);
    return label ? label->text() : QString();
}

QString MetadataPanel::errorText() const
{
    return m_error->isVisible() || !m_error->isHidden() ? m_error->text() : QString();
}

QString MetadataPanel::conceptText() const
{
    return fieldText(QStringLiteral("concept"));
}

QString MetadataPanel::imagePromptText() const
{
    return fieldText(QStringLiteral("prompt"));
}

void MetadataPanel::copy(const QString &what, const QString &text)
{
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    Q_EMIT copied(what);
}

void MetadataPanel::clear()
{
    m_output = OutputId();
    m_lineage.reset();
    m_error->clear();
    m_error->hide();
    m_details->hide();
    for (QLabel *label : std::as_const(m_fields))
        label->clear();
}

void MetadataPanel::showOutput(const OutputId &output)
{
    clear();
    m_output = output;
    if (output.isNull())
        return;
    auto lineage = lineageForOutput(m_store, output);
    if (!lineage) {
        m_error->setText(tr("The details of this image can't be read: %1").arg(lineage.error()));
        m_error->show();
        return;
    }
    std::optional<OutputRecord> record;
    if (auto read = m_store.output(output); read && read->has_value())
        record = **read;
    m_lineage = *lineage;
    fill(*m_lineage, record);
    m_details->show();
}

void MetadataPanel::fill(const ImageLineage &lineage, const std::optional<OutputRecord> &record)
{
    const QString notGiven = tr("—");
    const Brief &brief = lineage.brief;
    setField(QStringLiteral("product"), brief.productName);
    setField(QStringLiteral("audience"), brief.audience);
    setField(QStringLiteral("value"), brief.valueProposition);
    setField(QStringLiteral("tone"), brief.tone.isEmpty() ? notGiven : brief.tone);
    setField(QStringLiteral("notes"), brief.brandNotes.isEmpty() ? notGiven : brief.brandNotes);
    setField(QStringLiteral("images"),
             tr("%1 of %2 · %3 · %4")
                 .arg(lineage.index)
                 .arg(lineage.count)
                 .arg(brief.image.aspectRatio, brief.image.outputFormat.toUpper()));
    setField(QStringLiteral("concept"), lineage.conceptText);
    setField(QStringLiteral("prompt"), lineage.imagePrompt);

    // One row per model call: "meta/… · version 5a6809ca · 1.8 s · 2 attempts".
    while (m_modelsForm->rowCount() > 0)
        m_modelsForm->removeRow(0);
    for (auto it = m_fields.begin(); it != m_fields.end();) {
        if (it.key().startsWith(QStringLiteral("model:")))
            it = m_fields.erase(it);
        else
            ++it;
    }
    for (const ModelUse &use : lineage.models) {
        const StepDefinition *definition = m_workflow.step(use.step);
        QLabel *value = addField(m_modelsForm, QStringLiteral("model:") + use.step,
                                 definition ? definition->title : use.step);
        QStringList parts{use.modelRef};
        if (!use.version.isEmpty())
            parts << tr("version %1").arg(use.version.left(12));
        if (use.predictTimeSeconds)
            parts << formatDuration(static_cast<qint64>(*use.predictTimeSeconds * 1000.0));
        if (use.attempts > 1)
            parts << tr("%1 attempts").arg(use.attempts);
        value->setText(parts.join(QStringLiteral(" · ")));
        QStringList tip;
        if (!use.version.isEmpty())
            tip << tr("Version: %1").arg(use.version);
        if (!use.predictionId.isEmpty())
            tip << tr("Prediction: %1").arg(use.predictionId);
        value->setToolTip(tip.join(QLatin1Char('\n')));
    }
    if (lineage.models.isEmpty())
        addField(m_modelsForm, QStringLiteral("model:"), tr("Models"))->setText(tr("Not recorded"));

    setField(QStringLiteral("seed"),
             lineage.seed ? QString::number(*lineage.seed) : tr("Not reported by the model"));

    // Timings from the lineage: running = the models' own run time, queued = the rest.
    qint64 running = 0;
    bool runningKnown = !lineage.models.isEmpty();
    QDateTime lastDone;
    for (const ModelUse &use : lineage.models) {
        qint64 ms = span(use.startedAt, use.completedAt);
        if (ms < 0 && use.predictTimeSeconds)
            ms = static_cast<qint64>(*use.predictTimeSeconds * 1000.0);
        if (ms < 0)
            runningKnown = false;
        else
            running += ms;
        if (use.completedAt.isValid() && (!lastDone.isValid() || use.completedAt > lastDone))
            lastDone = use.completedAt;
    }
    const QDateTime end = lineage.imageCreatedAt.isValid() ? lineage.imageCreatedAt : lastDone;
    const qint64 total = span(lineage.jobCreatedAt, end);
    const QString unknown = tr("Not recorded");
    setField(QStringLiteral("total"), total >= 0 ? formatDuration(total) : unknown);
    setField(QStringLiteral("running"), runningKnown ? formatDuration(running) : unknown);
    setField(QStringLiteral("queued"), total >= 0 && runningKnown && total >= running
                                           ? formatDuration(total - running)
                                           : unknown);

    QStringList file;
    const int width = lineage.width > 0 ? lineage.width : (record ? record->width : 0);
    const int height = lineage.height > 0 ? lineage.height : (record ? record->height : 0);
    if (width > 0 && height > 0)
        file << tr("%1 × %2 px").arg(width).arg(height);
    file << formatNameOf(lineage.mime.isEmpty() && record ? record->mime : lineage.mime);
    if (record && record->bytes > 0)
        file << formatBytes(record->bytes);
    setField(QStringLiteral("file"), file.join(QStringLiteral(" · ")));
    if (record)
        m_fields.value(QStringLiteral("file"))
            ->setToolTip(QDir::toNativeSeparators(record->filePath));

    // No price is known to Brieflow yet: say so rather than estimate.
    setField(QStringLiteral("cost"), tr("Not known yet"));
    setField(QStringLiteral("job"), lineage.jobId.toString());
}

} // namespace brieflow::ui
