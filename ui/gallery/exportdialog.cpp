// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "exportdialog.h"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "core/export/exportnames.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "ui/gallery/galleryicons.h"

namespace brieflow::ui {

// Preferences of this dialog, in the settings file's "export" group (core/settings.h has no
// keys for them; they concern only this dialog).
namespace prefs {
const QString folder = QStringLiteral("export/folder");
const QString format = QStringLiteral("export/format");
const QString quality = QStringLiteral("export/quality"); // -1: original
const QString nameTemplate = QStringLiteral("export/nameTemplate");
const QString sidecars = QStringLiteral("export/sidecars");
const QString zip = QStringLiteral("export/zip");
const QString pdf = QStringLiteral("export/pdf");
} // namespace prefs

struct ExportDialog::Planned {
    quint64 generation = 0;
    std::optional<ExportPlan> plan;
    QString error;
};

namespace {

constexpr int defaultQuality = 90;

/** "a.jpg, b.jpg, c.jpg and 4 more". */
QString listNames(const QStringList &names, int shown = 3)
{
    QStringList head = names.mid(0, shown);
    QString text = head.join(QStringLiteral(", "));
    if (names.size() > shown)
        text = ExportDialog::tr("%1 and %2 more").arg(text).arg(names.size() - shown);
    return text;
}

QString countImages(int n)
{
    return n == 1 ? ExportDialog::tr("1 image") : ExportDialog::tr("%1 images").arg(n);
}

QString countFiles(int n)
{
    return n == 1 ? ExportDialog::tr("1 file") : ExportDialog::tr("%1 files").arg(n);
}

} // namespace

ExportDialog::ExportDialog(JobStore &reader, Settings &settings, const QList<OutputId> &ids,
                           QWidget *parent)
    : QDialog(parent)
    , m_store(reader)
    , m_settings(settings)
    , m_prefs(std::make_unique<QSettings>(settings.fileName(), QSettings::IniFormat))
    , m_ids(ids)
{
    setModal(false);
    setWindowTitle(tr("Export images"));
    setWindowIcon(themedIcon(QStringLiteral("export")));
    m_pool.setMaxThreadCount(1);
    m_question = [this](const QStringList &existing, const QString &folder,
                        std::function<void(ConflictChoice)> answer) {
        auto *box = new QMessageBox(QMessageBox::Question, tr("Files already exist"),
                                    tr("%1 already in %2: %3.")
                                        .arg(countFiles(static_cast<int>(existing.size())),
                                             QDir::toNativeSeparators(folder), listNames(existing)),
                                    QMessageBox::NoButton, this);
        box->setInformativeText(tr("Replace them, keep both (the new files get a number), or skip "
                                   "those images?"));
        QPushButton *replace = box->addButton(tr("Replace"), QMessageBox::DestructiveRole);
        QPushButton *both = box->addButton(tr("Keep both"), QMessageBox::AcceptRole);
        QPushButton *skip = box->addButton(tr("Skip"), QMessageBox::AcceptRole);
        QPushButton *cancel = box->addButton(QMessageBox::Cancel);
        box->setDefaultButton(both);
        box->setEscapeButton(cancel);
        box->setAttribute(Qt::WA_DeleteOnClose);
        connect(box, &QMessageBox::finished, this,
                [box, replace, both, skip, answer = std::move(answer)] {
                    const QAbstractButton *clicked = box->clickedButton();
                    answer(clicked == replace ? ConflictChoice::Replace
                           : clicked == both  ? ConflictChoice::KeepBoth
                           : clicked == skip  ? ConflictChoice::Skip
                                              : ConflictChoice::Cancel);
                });
        box->open(); // window-modal over the dialog, no nested event loop
    };
    m_opener = [](const QUrl &url) { QDesktopServices::openUrl(url); };

    if (!m_ids.isEmpty()) {
        if (auto lineage = lineageForOutput(m_store, m_ids.constFirst()))
            m_first = *lineage;
    }

    // --- what -----------------------------------------------------------------------------
    m_summary = new QLabel(this);
    QFont bold = m_summary->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_summary->setFont(bold);
    m_summary->setWordWrap(true);
    const int n = static_cast<int>(m_ids.size());
    m_summary->setText(m_first
                           ? tr("Export %1 — %2").arg(countImages(n), m_first->brief.productName)
                           : tr("Export %1").arg(countImages(n)));

    // --- where ----------------------------------------------------------------------------
    m_folder = new QLineEdit(this);
    m_folder->setAccessibleName(tr("Folder"));
    m_choose = new QPushButton(themedIcon(QStringLiteral("folder-open")), tr("Choose…"), this);
    auto *folderRow = new QHBoxLayout;
    folderRow->setSpacing(8);
    folderRow->addWidget(m_folder, 1);
    folderRow->addWidget(m_choose);

    // --- how ------------------------------------------------------------------------------
    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG — lossless"), static_cast<int>(ExportFormat::Png));
    m_format->addItem(tr("JPEG — small, for the web and email"),
                      static_cast<int>(ExportFormat::Jpeg));
    m_format->addItem(tr("WebP — smallest, for the web"), static_cast<int>(ExportFormat::Webp));
    m_original = new QCheckBox(tr("Original"), this);
    m_original->setToolTip(tr("Keep the stored image's bytes when it already is in this format "
                              "(no quality loss); otherwise quality %1")
                               .arg(defaultQuality));
    m_quality = new QSlider(Qt::Horizontal, this);
    m_quality->setRange(1, 100);
    m_quality->setValue(defaultQuality);
    m_quality->setAccessibleName(tr("Quality"));
    m_qualityValue = new QLabel(this);
    m_qualityValue->setMinimumWidth(
        m_qualityValue->fontMetrics().horizontalAdvance(QStringLiteral("100")));
    auto *qualityRow = new QHBoxLayout;
    qualityRow->setSpacing(8);
    qualityRow->addWidget(m_original);
    qualityRow->addWidget(m_quality, 1);
    qualityRow->addWidget(m_qualityValue);

    m_template = new QLineEdit(this);
    m_template->setAccessibleName(tr("File names"));
    m_template->setToolTip(
        tr("Placeholders: %1").arg(namePlaceholders().join(QStringLiteral(", "))));
    m_exampleLabel = new QLabel(this);
    m_exampleLabel->setWordWrap(true);
    m_exampleLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_sidecars = new QCheckBox(tr("A JSON sidecar with each image's whole story"), this);
    m_sidecars->setToolTip(tr("Brief, concept, image prompt, models and versions, seed, timings "
                              "and job id, next to each image"));
    m_zip = new QCheckBox(tr("One ZIP file"), this);
    m_zip->setToolTip(tr("Bundle the images (and sidecars and sheets) in one ZIP file"));
    m_zipName = new QLineEdit(this);
    m_zipName->setAccessibleName(tr("ZIP file name"));
    // Empty: the exporter names the bundle after the first product (and the date).
    m_zipName->setPlaceholderText(tr("Name (default: product and date)"));
    auto *zipRow = new QHBoxLayout;
    zipRow->setSpacing(8);
    zipRow->addWidget(m_zip);
    zipRow->addWidget(m_zipName, 1);
    m_pdf = new QCheckBox(tr("A PDF campaign sheet per job, for a client"), this);

    auto *form = new QFormLayout;
    form->setHorizontalSpacing(16);
    form->setVerticalSpacing(8);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Folder"), folderRow);
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Quality"), qualityRow);
    form->addRow(tr("File names"), m_template);
    form->addRow(QString(), m_exampleLabel);
    form->addRow(tr("Also"), m_sidecars);
    form->addRow(QString(), zipRow);
    form->addRow(QString(), m_pdf);

    // --- progress and result --------------------------------------------------------------
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(false);
    m_progress->setMaximumHeight(8);
    m_statusIcon = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *statusRow = new QHBoxLayout;
    statusRow->setSpacing(8);
    statusRow->addWidget(m_statusIcon, 0, Qt::AlignTop);
    statusRow->addWidget(m_status, 1);

    m_showFolder =
        new QPushButton(themedIcon(QStringLiteral("folder-open")), tr("Show in folder"), this);
    m_cancel = new QPushButton(themedIcon(QStringLiteral("cancel")), tr("Cancel export"), this);
    m_close = new QPushButton(tr("Close"), this);
    m_export = new QPushButton(themedIcon(QStringLiteral("export")), tr("Export"), this);
    m_export->setDefault(true);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(8);
    buttons->addWidget(m_showFolder);
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    buttons->addWidget(m_export);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 24, 24, 16);
    layout->setSpacing(16);
    layout->addWidget(m_summary);
    layout->addLayout(form);
    layout->addStretch(1);
    auto *bottom = new QVBoxLayout;
    bottom->setSpacing(8);
    bottom->addWidget(m_progress);
    bottom->addLayout(statusRow);
    layout->addLayout(bottom);
    layout->addLayout(buttons);
    setMinimumWidth(560);

    loadPreferences();
    updateFormatControls();
    updateExample();

    connect(m_choose, &QPushButton::clicked, this, &ExportDialog::chooseFolder);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        updateFormatControls();
        updateExample();
    });
    connect(m_original, &QCheckBox::toggled, this, &ExportDialog::updateFormatControls);
    connect(m_quality, &QSlider::valueChanged, this, &ExportDialog::updateFormatControls);
    connect(m_template, &QLineEdit::textChanged, this, &ExportDialog::updateExample);
    connect(m_folder, &QLineEdit::textChanged, this, &ExportDialog::updateButtons);
    connect(m_zip, &QCheckBox::toggled, this, &ExportDialog::updateButtons);
    connect(m_export, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::cancelExport);
    connect(m_close, &QPushButton::clicked, this, &QDialog::close);
    connect(m_showFolder, &QPushButton::clicked, this, &ExportDialog::showInFolder);

    setPhase(Phase::Editing, m_ids.isEmpty() ? tr("There are no images to export.") : QString());
}

ExportDialog::~ExportDialog()
{
    ++m_planGeneration; // a plan still in flight is dropped
    m_task.reset();     // cancels and waits; the task removes what it wrote
    m_pool.waitForDone();
}

// --- preferences --------------------------------------------------------------------------

void ExportDialog::loadPreferences()
{
    QString folder = m_prefs->value(prefs::folder).toString();
    if (folder.isEmpty() || !QFileInfo(folder).isDir())
        folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    m_folder->setText(QDir::toNativeSeparators(folder));
    const auto format =
        exportFormatFromString(m_prefs->value(prefs::format, QStringLiteral("png")).toString());
    m_format->setCurrentIndex(
        std::max(0, m_format->findData(static_cast<int>(format.value_or(ExportFormat::Png)))));
    bool ok = false;
    const int quality = m_prefs->value(prefs::quality, -1).toInt(&ok);
    m_original->setChecked(!ok || quality < 1 || quality > 100);
    m_quality->setValue(ok && quality >= 1 && quality <= 100 ? quality : defaultQuality);
    const QString nameTemplate = m_prefs->value(prefs::nameTemplate).toString();
    m_template->setText(nameTemplate.isEmpty() ? ExportRequest().nameTemplate : nameTemplate);
    m_sidecars->setChecked(m_prefs->value(prefs::sidecars, true).toBool());
    m_zip->setChecked(m_prefs->value(prefs::zip, false).toBool());
    m_pdf->setChecked(m_prefs->value(prefs::pdf, false).toBool());
}

void ExportDialog::savePreferences()
{
    const ExportRequest r = request();
    m_prefs->setValue(prefs::folder, r.folder);
    m_prefs->setValue(prefs::format, toString(r.encode.format));
    m_prefs->setValue(prefs::quality, m_original->isChecked() ? -1 : m_quality->value());
    m_prefs->setValue(prefs::nameTemplate, r.nameTemplate);
    m_prefs->setValue(prefs::sidecars, r.sidecars);
    m_prefs->setValue(prefs::zip, r.zip);
    m_prefs->setValue(prefs::pdf, r.pdfSheet);
    m_prefs->sync();
}

// --- the form -----------------------------------------------------------------------------

void ExportDialog::setFolder(const QString &folder)
{
    m_folder->setText(QDir::toNativeSeparators(folder));
}

QString ExportDialog::folder() const
{
    const QString text = m_folder->text().trimmed();
    return text.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(text));
}

ExportRequest ExportDialog::request() const
{
    ExportRequest r;
    r.outputs = m_ids;
    r.folder = folder();
    r.encode.format = static_cast<ExportFormat>(m_format->currentData().toInt());
    r.encode.quality =
        r.encode.format == ExportFormat::Png || m_original->isChecked() ? -1 : m_quality->value();
    r.nameTemplate = m_template->text().trimmed();
    r.sidecars = m_sidecars->isChecked();
    r.zip = m_zip->isChecked();
    r.zipName = r.zip ? m_zipName->text().trimmed() : QString();
    r.pdfSheet = m_pdf->isChecked();
    return r;
}

void ExportDialog::updateFormatControls()
{
    const auto format = static_cast<ExportFormat>(m_format->currentData().toInt());
    const bool lossy = format != ExportFormat::Png;
    m_original->setEnabled(lossy);
    m_quality->setEnabled(lossy && !m_original->isChecked());
    if (!lossy) {
        m_qualityValue->setText(QString());
        m_quality->setToolTip(tr("PNG is lossless: there is no quality to choose"));
    } else {
        m_qualityValue->setText(m_original->isChecked() ? QString()
                                                        : QString::number(m_quality->value()));
        m_quality->setToolTip(tr("Higher keeps more detail; lower makes smaller files"));
    }
}

void ExportDialog::updateExample()
{
    const ExportRequest r = request();
    NameFields fields;
    if (m_first) {
        fields.product = m_first->brief.productName;
        fields.job = m_first->jobId;
        fields.index = m_first->index;
        fields.date = m_first->jobCreatedAt.toLocalTime().date();
        fields.model =
            m_first->imageModel().section(QLatin1Char(':'), 0, 0).section(QLatin1Char('/'), -1);
    } else {
        fields.product = tr("Product");
        fields.job = JobId(QStringLiteral("0195ab12-0000-7000-8000-000000000000"));
        fields.date = QDate::currentDate();
        fields.model = QStringLiteral("flux-schnell");
    }
    const auto expanded = expandNameTemplate(r.nameTemplate, fields);
    if (r.nameTemplate.isEmpty()) {
        m_example.clear();
        m_templateError =
            tr("Type a file name template, e.g. %1").arg(ExportRequest().nameTemplate);
    } else if (!expanded) {
        m_example.clear();
        m_templateError = expanded.error();
    } else {
        m_templateError.clear();
        m_example = sanitizeFileName(*expanded, fileExtension(r.encode.format));
    }
    QPalette palette = m_exampleLabel->palette();
    if (m_templateError.isEmpty()) {
        m_exampleLabel->setText(tr("Example: %1").arg(m_example));
        palette.setColor(QPalette::WindowText, this->palette().color(QPalette::PlaceholderText));
    } else {
        m_exampleLabel->setText(m_templateError);
        palette.setColor(QPalette::WindowText, QColor(0xd9, 0x30, 0x25)); // ui.md: failed red
    }
    m_exampleLabel->setPalette(palette);
    updateButtons();
}

void ExportDialog::updateButtons()
{
    const bool busy =
        m_phase == Phase::Planning || m_phase == Phase::Asking || m_phase == Phase::Running;
    const bool ready = !m_ids.isEmpty() && !folder().isEmpty() && m_templateError.isEmpty();
    m_export->setEnabled(!busy && ready);
    m_export->setToolTip(folder().isEmpty()           ? tr("Choose a folder first")
                         : !m_templateError.isEmpty() ? m_templateError
                                                      : QString());
    m_cancel->setVisible(busy);
    m_close->setVisible(!busy);
    m_showFolder->setVisible(m_phase == Phase::Done);
    m_progress->setVisible(busy || m_phase == Phase::Done);
    m_zipName->setEnabled(m_zip->isChecked() && !busy);
    for (QWidget *w : {static_cast<QWidget *>(m_folder), static_cast<QWidget *>(m_choose),
                       static_cast<QWidget *>(m_format), static_cast<QWidget *>(m_template),
                       static_cast<QWidget *>(m_sidecars), static_cast<QWidget *>(m_zip),
                       static_cast<QWidget *>(m_pdf)})
        w->setEnabled(!busy);
    if (busy) {
        m_original->setEnabled(false);
        m_quality->setEnabled(false);
    } else {
        updateFormatControls();
    }
}

void ExportDialog::setPhase(Phase phase, const QString &status)
{
    m_phase = phase;
    showStatus(status);
    QString icon;
    switch (phase) {
    case Phase::Done:
        icon = QStringLiteral(":/icons/state-succeeded.svg");
        break;
    case Phase::Failed:
        icon = QStringLiteral(":/icons/state-failed.svg");
        break;
    case Phase::Canceled:
        icon = QStringLiteral(":/icons/state-canceled.svg");
        break;
    case Phase::Planning:
    case Phase::Running:
        icon = QStringLiteral(":/icons/state-processing.svg");
        break;
    case Phase::Asking:
        icon = QStringLiteral(":/icons/state-needs-attention.svg");
        break;
    case Phase::Editing:
        break;
    }
    m_statusIcon->setPixmap(icon.isEmpty() || status.isEmpty() ? QPixmap()
                                                               : QIcon(icon).pixmap(16, 16));
    updateButtons();
}

void ExportDialog::showStatus(const QString &text)
{
    m_statusText = text;
    // Long paths have no spaces to wrap at: let them break after each separator.
    QString shown = text;
    shown.replace(QLatin1Char('/'), QStringLiteral("/\u200B"));
    shown.replace(QLatin1Char('\\'), QStringLiteral("\\\u200B"));
    m_status->setText(shown);
}

QString ExportDialog::statusText() const
{
    return m_statusText;
}

void ExportDialog::chooseFolder()
{
    // A folder chooser is the one wait the user starts themselves; it runs its own event loop.
    const QString chosen =
        QFileDialog::getExistingDirectory(this, tr("Export to folder"), folder());
    if (!chosen.isEmpty())
        setFolder(chosen);
}

void ExportDialog::showInFolder()
{
    if (!m_targetFolder.isEmpty())
        m_opener(QUrl::fromLocalFile(m_targetFolder));
}

// --- the export ---------------------------------------------------------------------------

void ExportDialog::startExport()
{
    if (m_phase == Phase::Planning || m_phase == Phase::Asking || m_phase == Phase::Running)
        return;
    if (m_ids.isEmpty() || !m_templateError.isEmpty())
        return;
    const QString target = folder();
    if (target.isEmpty()) {
        setPhase(Phase::Failed, tr("Choose a folder to export to."));
        return;
    }
    if (!QFileInfo(target).isDir() && !QDir().mkpath(target)) {
        setPhase(Phase::Failed, tr("The folder %1 can't be created. Choose another one.")
                                    .arg(QDir::toNativeSeparators(target)));
        return;
    }
    savePreferences();
    m_outcome.reset();
    plan(OverwritePolicy::Ask);
}

void ExportDialog::plan(OverwritePolicy policy)
{
    ExportRequest r = request();
    r.overwrite = policy;
    m_targetFolder = r.folder;
    m_progress->setRange(0, 0); // busy until the plan says how many files
    setPhase(Phase::Planning,
             tr("Preparing %1…").arg(countImages(static_cast<int>(r.outputs.size()))));
    const quint64 generation = ++m_planGeneration;
    const QString databaseFile = m_store.fileName();
    auto *watcher = new QFutureWatcher<Planned>(this);
    connect(watcher, &QFutureWatcher<Planned>::finished, this, [this, watcher] {
        watcher->deleteLater();
        onPlanned(watcher->result());
    });
    // The plan reads every image's lineage: on a worker with its own read-only connection
    // (a JobStore belongs to the thread that opened it).
    watcher->setFuture(QtConcurrent::run(&m_pool, [databaseFile, r, generation] {
        Planned planned;
        planned.generation = generation;
        auto store = JobStore::open(databaseFile, JobStore::Mode::Reader);
        if (!store) {
            planned.error = store.error().message;
            return planned;
        }
        auto result = planExport(**store, r);
        if (result)
            planned.plan = std::move(result).value();
        else
            planned.error = result.error();
        return planned;
    }));
}

void ExportDialog::onPlanned(const Planned &planned)
{
    if (planned.generation != m_planGeneration || m_phase != Phase::Planning)
        return; // canceled meanwhile
    if (!planned.plan) {
        m_outcome = ExportOutcome{ExportOutcome::Kind::Failed, {}, 0, planned.error};
        setPhase(Phase::Failed, planned.error);
        Q_EMIT exportFinished(*m_outcome);
        return;
    }
    if (!planned.plan->conflicts.isEmpty()
        && planned.plan->request.overwrite == OverwritePolicy::Ask) {
        askAboutConflicts(*planned.plan);
        return;
    }
    run(*planned.plan);
}

void ExportDialog::askAboutConflicts(const ExportPlan &planned)
{
    const QStringList conflicts = planned.conflicts;
    setPhase(Phase::Asking,
             tr("%1 with these names already in the folder: waiting for your answer.")
                 .arg(countFiles(static_cast<int>(conflicts.size()))));
    const quint64 generation = m_planGeneration;
    m_question(conflicts, planned.request.folder, [this, generation](ConflictChoice choice) {
        if (generation != m_planGeneration || m_phase != Phase::Asking)
            return;
        switch (choice) {
        case ConflictChoice::Replace:
            return this->plan(OverwritePolicy::Replace);
        case ConflictChoice::KeepBoth:
            return this->plan(OverwritePolicy::KeepBoth);
        case ConflictChoice::Skip:
            return this->plan(OverwritePolicy::Skip);
        case ConflictChoice::Cancel:
            break;
        }
        setPhase(Phase::Editing, tr("Nothing was exported."));
    });
}

void ExportDialog::run(ExportPlan plan)
{
    // Images, not files: sidecars and sheets ride along.
    m_imagesPlanned = 0;
    m_imagesSkipped = 0;
    m_zipFile.clear();
    for (const PlannedFile &file : std::as_const(plan.files)) {
        if (file.kind == PlannedFile::Kind::Zip)
            m_zipFile = file.name;
        if (file.kind == PlannedFile::Kind::Image)
            ++(file.skip ? m_imagesSkipped : m_imagesPlanned);
    }
    const int files = static_cast<int>(plan.files.size());
    m_progress->setRange(0, std::max(1, files));
    m_progress->setValue(0);
    setPhase(Phase::Running, tr("Exporting %1…").arg(countImages(m_imagesPlanned)));
    m_task = std::make_unique<ExportTask>(std::move(plan));
    connect(m_task.get(), &ExportTask::progress, this,
            [this](int done, int total, const QString &name) {
                if (m_phase != Phase::Running)
                    return;
                m_progress->setRange(0, std::max(1, total));
                m_progress->setValue(done);
                showStatus(tr("Writing %1 (%2 of %3)")
                               .arg(name)
                               .arg(done + 1 > total ? total : done + 1)
                               .arg(total));
            });
    connect(m_task.get(), &ExportTask::finished, this, &ExportDialog::onFinished,
            Qt::QueuedConnection);
    Q_EMIT exportStarted(m_task.get());
    m_task->start();
}

void ExportDialog::cancelExport()
{
    switch (m_phase) {
    case Phase::Planning:
    case Phase::Asking:
        ++m_planGeneration;
        setPhase(Phase::Editing, tr("Nothing was exported."));
        return;
    case Phase::Running:
        if (m_task)
            m_task->cancel();
        showStatus(tr("Canceling — removing the files written so far…"));
        m_cancel->setEnabled(false);
        return;
    default:
        return;
    }
}

void ExportDialog::onFinished(const ExportOutcome &outcome)
{
    m_outcome = outcome;
    m_cancel->setEnabled(true);
    switch (outcome.kind) {
    case ExportOutcome::Kind::Done: {
        QString text =
            tr("Exported %1 to %2")
                .arg(countImages(m_imagesPlanned), QDir::toNativeSeparators(m_targetFolder));
        if (!m_zipFile.isEmpty())
            text += QLatin1Char(' ') + tr("(in %1)").arg(m_zipFile);
        if (m_imagesSkipped > 0)
            text += QLatin1Char(' ') + tr("(%1 skipped: already there)").arg(m_imagesSkipped);
        m_progress->setValue(m_progress->maximum());
        setPhase(Phase::Done, text);
        break;
    }
    case ExportOutcome::Kind::Canceled:
        setPhase(Phase::Canceled, tr("Export canceled — nothing was left in the folder."));
        break;
    case ExportOutcome::Kind::Failed:
        setPhase(Phase::Failed, outcome.message);
        break;
    }
    Q_EMIT exportFinished(outcome);
    if (m_closeWhenDone)
        close();
}

void ExportDialog::closeEvent(QCloseEvent *event)
{
    if (m_phase == Phase::Running) {
        // Closing stops the export; the window goes once the task has cleaned up.
        m_closeWhenDone = true;
        cancelExport();
        event->ignore();
        return;
    }
    if (m_phase == Phase::Planning || m_phase == Phase::Asking)
        cancelExport();
    QDialog::closeEvent(event);
}

ExportDialog *openExportDialog(JobStore &reader, Settings &settings, const QList<OutputId> &ids,
                               QWidget *parent)
{
    auto *dialog = new ExportDialog(reader, settings, ids, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    dialog->raise();
    dialog->activateWindow();
    return dialog;
}

} // namespace brieflow::ui
